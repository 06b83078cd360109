-- Demo data for the labs plugin: the seven partner institutions of the
-- INNO-TEC-LAB project as published lab profiles. Loaded by `make run` as
-- the owner role; safe to load twice, and a no-op where the labs plugin is
-- not installed. Websites are given only where they are the institution's
-- own well-known address; the rest stays empty rather than invented.
-- For scale tests, add synthetic labs with SELECT labs.seed_synthetic(N).
DO $demo$
BEGIN
IF to_regclass('labs.labs') IS NULL THEN
    RETURN;
END IF;
INSERT INTO labs.labs (slug, name, institution, kind, country, city, address,
    latitude, longitude, website, description, disciplines, facilities,
    equipment, languages, status, created_at)
VALUES
('ied-milano', 'IED Milano Design Lab', 'Istituto Europeo di Design',
 'design-studio', 'IT', 'Milano', 'Via Sciesa 4, 20135 Milano',
 45.4627, 9.2077, 'https://www.ied.it',
 'The design school''s workshops in Milan, where students of product, interior, fashion and communication design turn briefs from companies into prototypes. Open to partner projects and summer schools.',
 ARRAY['industrial-design', 'interaction-design', 'communication-design', 'fashion-design'],
 ARRAY['3d-printing', 'laser-cutting', 'textile-workshop', 'media-studio'],
 'FDM and resin printers, a 120 W laser cutter, industrial sewing machines, a photo studio with infinity cove.',
 ARRAY['it', 'en'], 'published', '2026-01-12 09:00+01'),
('socialiniu-inovaciju-centras', 'Socialinių inovacijų centras', 'VSL Socialinių inovacijų centras',
 'living-lab', 'LT', 'Vilnius', 'Vilnius',
 54.6872, 25.2797, NULL,
 'A living lab for social innovation: co-design sessions with communities, training for adult educators and social entrepreneurs, and pilots of digital tools for inclusion.',
 ARRAY['social-innovation', 'digital-education', 'entrepreneurship'],
 ARRAY['coworking', 'media-studio'],
 'Workshop room for 30 people, video recording kit, laptops for training groups.',
 ARRAY['lt', 'en', 'ru'], 'published', '2026-01-14 10:00+02'),
('media-dizajn', 'Media Dizajn Studio', 'Media Dizajn',
 'design-studio', 'PL', 'Warszawa', 'Warszawa',
 52.2297, 21.0122, NULL,
 'A studio for e-learning and media design: interactive courses, educational video and accessible learning materials, made with teachers and trainers.',
 ARRAY['communication-design', 'digital-education', 'interaction-design'],
 ARRAY['media-studio', 'sound-studio', 'virtual-reality'],
 'Sound booth, green screen, VR headsets for testing immersive lessons.',
 ARRAY['pl', 'en'], 'published', '2026-01-20 11:00+01'),
('edln', 'European Digital Learning Network', 'European Digital Learning Network',
 'other', 'IT', 'Milano', 'Milano',
 45.4842, 9.2048, NULL,
 'A network of organisations working on digital learning across Europe: it runs research and training projects on digital skills, and connects schools, universities and companies.',
 ARRAY['digital-education', 'social-innovation', 'entrepreneurship'],
 ARRAY['coworking', 'media-studio'],
 '',
 ARRAY['it', 'en'], 'published', '2026-02-02 09:30+01'),
('sdmi', 'SDMI Lab', 'SDMI - Sustainable Development Management Institute',
 'other', 'FR', 'Paris', 'Paris',
 48.8566, 2.3522, NULL,
 'The institute''s lab helps companies and public bodies plan for sustainable development: impact assessment, circular design workshops and training for managers.',
 ARRAY['sustainability', 'entrepreneurship', 'social-innovation'],
 ARRAY['coworking', 'usability-lab'],
 'Meeting and workshop spaces, tools for life-cycle assessment.',
 ARRAY['fr', 'en'], 'published', '2026-02-10 14:00+01'),
('hva-makerslab', 'HvA Makerslab', 'Amsterdam University of Applied Sciences',
 'fab-lab', 'NL', 'Amsterdam', 'Wibautstraat 3b, 1091 GH Amsterdam',
 52.3594, 4.9088, 'https://www.hva.nl',
 'The university''s open workshop for students and staff of every faculty: prototype a product, a medical aid or a sensor, with help from the lab''s makers.',
 ARRAY['industrial-design', 'engineering', 'computer-science', 'health-care'],
 ARRAY['3d-printing', 'laser-cutting', 'cnc-milling', 'electronics', 'woodworking'],
 'Ultimaker and Prusa printers, laser cutters, a CNC router, soldering stations, a wood shop.',
 ARRAY['nl', 'en'], 'published', '2026-02-16 10:00+01'),
('metropolia-innovation-lab', 'Metropolia Innovation Lab', 'Metropolia University of Applied Sciences',
 'university-lab', 'FI', 'Helsinki', 'Myllypurontie 1, 00920 Helsinki',
 60.2236, 25.0781, 'https://www.metropolia.fi',
 'Labs of Finland''s largest university of applied sciences on its Myllypuro campus: health technology, built environment and product development, with companies as project partners.',
 ARRAY['engineering', 'health-care', 'industrial-design', 'sustainability'],
 ARRAY['3d-printing', 'electronics', 'virtual-reality', 'usability-lab', 'rapid-prototyping'],
 'Simulation rooms, a usability lab with eye tracking, electronics and prototyping workshops.',
 ARRAY['fi', 'sv', 'en'], 'published', '2026-03-01 09:00+02')
ON CONFLICT (slug) DO NOTHING;
END
$demo$;
