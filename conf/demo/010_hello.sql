-- Demo data for the hello plugin: the seven INNO-TEC-LAB partners' cities,
-- so /hello/Milano and friends show a note. Loaded by `make run` as the
-- owner role; safe to load twice.
INSERT INTO hello.names (name, note) VALUES
    ('Milano', 'Istituto Europeo di Design has its home here.'),
    ('Vilnius', 'VSL Socialinių inovacijų centras works from here.'),
    ('Warszawa', 'Media Dizajn designs learning here.'),
    ('Roma', 'European Digital Learning Network meets here.'),
    ('Paris', 'SDMI - Sustainable Development Management Institute is based here.'),
    ('Amsterdam', 'Amsterdam University of Applied Sciences teaches here.'),
    ('Helsinki', 'Metropolia University of Applied Sciences builds here.')
ON CONFLICT (name) DO NOTHING;
