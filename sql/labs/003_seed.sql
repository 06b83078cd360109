-- labs.labnet_seed(n): n generated labs for scale tests and benchmarks,
-- called by `labnet seed labs N` (core/seed.c). The convention, for any
-- plugin: a function <schema>.labnet_seed(n integer) RETURNS bigint that
-- adds n records of the plugin's kind in one set-based statement and
-- returns how many it added; it runs as the owner role (the migration
-- role), so the runtime role never gets to call it.
--
-- The rows look like a real directory: labs in 20 European countries and
-- 60 cities (names with their accents: Besançon, Łódź, Göteborg, Šiauliai),
-- coordinates scattered around the city, every kind, one to four
-- disciplines and one to six facilities from the shared vocabulary,
-- institutions and descriptions made of varied phrases, a website, an
-- e-mail or a phone for some, languages of the country plus English,
-- creation dates over three years, and about 92% published (the rest
-- draft, pending or archived). The same n gives the same rows: everything
-- derives from hashes of the row number, not from random(). Slugs are
-- "<city>-<kind>-<number>", numbered on from the highest id, so a second
-- call adds more rather than failing.
--
-- Speed: one INSERT ... SELECT over generate_series; the labs_check
-- trigger is switched off for it (the values are valid terms by
-- construction, sorted and distinct, and terms_text is computed here from
-- one map of labels rather than by one query per row) and switched on
-- again in the same transaction.
CREATE FUNCTION labnet_seed(n integer) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    added bigint;
    base bigint;
    disc text[] := ARRAY(SELECT key FROM core.vocab_terms
                         WHERE scheme = 'discipline' ORDER BY position, key);
    fac text[] := ARRAY(SELECT key FROM core.vocab_terms
                        WHERE scheme = 'facility' ORDER BY position, key);
    -- "scheme:key" -> its labels in every language, for terms_text.
    labels jsonb := (SELECT jsonb_object_agg(scheme || ':' || key, text)
                     FROM (SELECT scheme, key, string_agg(label, ' ') AS text
                           FROM core.vocab_labels GROUP BY scheme, key) t);
BEGIN
    IF n IS NULL OR n < 0 THEN
        RAISE EXCEPTION 'labnet_seed: n must be 0 or more, not %', n;
    END IF;
    SELECT coalesce(max(id), 0) INTO base FROM labs.labs;
    ALTER TABLE labs.labs DISABLE TRIGGER labs_check;

    WITH city (c, country, city, ascii, lat, lon, lang, uni) AS (VALUES
        (0, 'IT', 'Milano', 'milano', 45.4642, 9.1900, 'it', 'Politecnico di %s'),
        (1, 'IT', 'Torino', 'torino', 45.0703, 7.6869, 'it', 'Università degli Studi di %s'),
        (2, 'IT', 'Bologna', 'bologna', 44.4949, 11.3426, 'it', 'Università di %s'),
        (3, 'IT', 'Napoli', 'napoli', 40.8518, 14.2681, 'it', 'Università degli Studi di %s'),
        (4, 'IT', 'Forlì', 'forli', 44.2227, 12.0407, 'it', 'Campus di %s'),
        (5, 'FR', 'Paris', 'paris', 48.8566, 2.3522, 'fr', 'Université de %s'),
        (6, 'FR', 'Lyon', 'lyon', 45.7640, 4.8357, 'fr', 'École centrale de %s'),
        (7, 'FR', 'Besançon', 'besancon', 47.2378, 6.0241, 'fr', 'Université de %s'),
        (8, 'FR', 'Orléans', 'orleans', 47.9030, 1.9093, 'fr', 'Université d''%s'),
        (9, 'FR', 'Nîmes', 'nimes', 43.8367, 4.3601, 'fr', 'École des Mines de %s'),
        (10, 'DE', 'Berlin', 'berlin', 52.5200, 13.4050, 'de', 'Technische Universität %s'),
        (11, 'DE', 'München', 'muenchen', 48.1351, 11.5820, 'de', 'Hochschule %s'),
        (12, 'DE', 'Köln', 'koeln', 50.9375, 6.9603, 'de', 'Technische Hochschule %s'),
        (13, 'DE', 'Düsseldorf', 'duesseldorf', 51.2277, 6.7735, 'de', 'Hochschule %s'),
        (14, 'DE', 'Lübeck', 'luebeck', 53.8655, 10.6866, 'de', 'Universität zu %s'),
        (15, 'ES', 'Madrid', 'madrid', 40.4168, -3.7038, 'es', 'Universidad Politécnica de %s'),
        (16, 'ES', 'Barcelona', 'barcelona', 41.3874, 2.1686, 'es', 'Universitat de %s'),
        (17, 'ES', 'Málaga', 'malaga', 36.7213, -4.4214, 'es', 'Universidad de %s'),
        (18, 'ES', 'Córdoba', 'cordoba', 37.8882, -4.7794, 'es', 'Universidad de %s'),
        (19, 'ES', 'A Coruña', 'a-coruna', 43.3623, -8.4115, 'es', 'Universidade da %s'),
        (20, 'PT', 'Lisboa', 'lisboa', 38.7223, -9.1393, 'pt', 'Universidade de %s'),
        (21, 'PT', 'Porto', 'porto', 41.1579, -8.6291, 'pt', 'Politécnico do %s'),
        (22, 'PT', 'Évora', 'evora', 38.5714, -7.9135, 'pt', 'Universidade de %s'),
        (23, 'PL', 'Warszawa', 'warszawa', 52.2297, 21.0122, 'pl', 'Politechnika %s'),
        (24, 'PL', 'Kraków', 'krakow', 50.0647, 19.9450, 'pl', 'Akademia Sztuk Pięknych, %s'),
        (25, 'PL', 'Łódź', 'lodz', 51.7592, 19.4560, 'pl', 'Politechnika, %s'),
        (26, 'PL', 'Gdańsk', 'gdansk', 54.3520, 18.6466, 'pl', 'Uniwersytet, %s'),
        (27, 'PL', 'Poznań', 'poznan', 52.4064, 16.9252, 'pl', 'Uniwersytet Artystyczny, %s'),
        (28, 'LT', 'Vilnius', 'vilnius', 54.6872, 25.2797, 'lt', '%s Gedimino technikos universitetas'),
        (29, 'LT', 'Kaunas', 'kaunas', 54.8985, 23.9036, 'lt', '%s technologijos universitetas'),
        (30, 'LT', 'Klaipėda', 'klaipeda', 55.7033, 21.1443, 'lt', '%s universitetas'),
        (31, 'LT', 'Šiauliai', 'siauliai', 55.9349, 23.3137, 'lt', '%s valstybinė kolegija'),
        (32, 'FI', 'Helsinki', 'helsinki', 60.1699, 24.9384, 'fi', 'Aalto-yliopisto, %s'),
        (33, 'FI', 'Tampere', 'tampere', 61.4978, 23.7610, 'fi', '%s University'),
        (34, 'FI', 'Oulu', 'oulu', 65.0121, 25.4651, 'fi', '%s University of Applied Sciences'),
        (35, 'FI', 'Jyväskylä', 'jyvaskyla', 62.2426, 25.7473, 'fi', '%s University'),
        (36, 'NL', 'Amsterdam', 'amsterdam', 52.3676, 4.9041, 'nl', 'Hogeschool van %s'),
        (37, 'NL', 'Rotterdam', 'rotterdam', 51.9244, 4.4777, 'nl', 'Hogeschool %s'),
        (38, 'NL', 'Utrecht', 'utrecht', 52.0907, 5.1214, 'nl', 'Universiteit %s'),
        (39, 'NL', 'Eindhoven', 'eindhoven', 51.4416, 5.4697, 'nl', 'Technische Universiteit %s'),
        (40, 'SE', 'Stockholm', 'stockholm', 59.3293, 18.0686, 'sv', 'Kungliga Tekniska högskolan, %s'),
        (41, 'SE', 'Göteborg', 'goteborg', 57.7089, 11.9746, 'sv', 'Chalmers, %s'),
        (42, 'SE', 'Malmö', 'malmo', 55.6050, 13.0038, 'sv', '%s universitet'),
        (43, 'SE', 'Umeå', 'umea', 63.8258, 20.2630, 'sv', '%s universitet'),
        (44, 'CZ', 'Praha', 'praha', 50.0755, 14.4378, 'cs', 'České vysoké učení technické, %s'),
        (45, 'CZ', 'Brno', 'brno', 49.1951, 16.6068, 'cs', 'Vysoké učení technické v %s'),
        (46, 'CZ', 'České Budějovice', 'ceske-budejovice', 48.9745, 14.4743, 'cs', 'Jihočeská univerzita, %s'),
        (47, 'DK', 'København', 'kobenhavn', 55.6761, 12.5683, 'da', '%s Universitet'),
        (48, 'DK', 'Aarhus', 'aarhus', 56.1629, 10.2039, 'da', '%s Universitet'),
        (49, 'AT', 'Wien', 'wien', 48.2082, 16.3738, 'de', 'Technische Universität %s'),
        (50, 'AT', 'Graz', 'graz', 47.0707, 15.4395, 'de', 'Technische Universität %s'),
        (51, 'BE', 'Bruxelles', 'bruxelles', 50.8503, 4.3517, 'fr', 'Université libre de %s'),
        (52, 'BE', 'Gent', 'gent', 51.0543, 3.7174, 'nl', 'Universiteit %s'),
        (53, 'BE', 'Liège', 'liege', 50.6326, 5.5797, 'fr', 'Université de %s'),
        (54, 'EE', 'Tallinn', 'tallinn', 59.4370, 24.7536, 'et', '%s Tehnikaülikool'),
        (55, 'EE', 'Tartu', 'tartu', 58.3780, 26.7290, 'et', '%s Ülikool'),
        (56, 'IE', 'Dublin', 'dublin', 53.3498, -6.2603, 'ga', 'Technological University %s'),
        (57, 'HU', 'Budapest', 'budapest', 47.4979, 19.0402, 'hu', '%s Műszaki Egyetem'),
        (58, 'RO', 'Cluj-Napoca', 'cluj-napoca', 46.7712, 23.6236, 'ro', 'Universitatea Tehnică din %s'),
        (59, 'GR', 'Thessaloníki', 'thessaloniki', 40.6401, 22.9444, 'el', 'Aristotle University of %s')
    ),
    -- The row number, its city and a few independent hashes of it.
    g AS (
        SELECT i, base + i AS number,
               abs(hashint4(i)) AS h1, abs(hashint4(i + 1000000007)) AS h2,
               abs(hashint4(-i)) AS h3, abs(hashint4(i * 7 + 3)) AS h4,
               abs(hashint4(i * 13 + 5)) AS h5, abs(hashint4(i * 11 + 7)) AS h6
        FROM generate_series(1, n) AS s(i)
    ),
    lab AS (
        SELECT g.*, city.*,
               (ARRAY['university-lab', 'fab-lab', 'living-lab', 'makerspace',
                      'design-studio', 'other'])[1 + g.h2 % 6] AS kind,
               (ARRAY['Innovation Lab', 'FabLab', 'Living Lab', 'Makerspace',
                      'Design Studio', 'Hub'])[1 + g.h2 % 6] AS kind_word,
               (ARRAY['Aurora', 'Ångström', 'Élan', 'Dédalo', 'Fjärd', 'Gaudí',
                      'Hélice', 'Kūryba', 'Łąka', 'Mönch', 'Nœud', 'Orión',
                      'Płomień', 'Ræv', 'Saulė', 'Tàpies', 'Øresund', 'Ñandú',
                      'Šaltinis', 'Žalia', 'Città', 'Brücke', 'Forja', 'Kipinä'])
                   [1 + g.h3 % 24] AS theme,
               ARRAY(SELECT DISTINCT disc[p] FROM generate_series(1, cardinality(disc)) p
                     WHERE p = 1 + g.h5 % cardinality(disc)
                        OR abs(hashint4(g.i * 31 + p)) % 12 < g.h4 % 3
                     ORDER BY 1) AS disciplines,
               ARRAY(SELECT DISTINCT fac[p] FROM generate_series(1, cardinality(fac)) p
                     WHERE p = 1 + g.h6 % cardinality(fac)
                        OR abs(hashint4(g.i * 17 + p)) % 12 < g.h1 % 5
                     ORDER BY 1) AS facilities
        FROM g JOIN city ON city.c = g.h1 % 60
    )
    INSERT INTO labs.labs (slug, name, institution, kind, country, city, address,
        latitude, longitude, website, email, phone, description, disciplines,
        facilities, equipment, languages, status, created_at, updated_at,
        terms_text)
    SELECT l.ascii || '-' || l.kind || '-' || l.number,
           l.theme || ' ' || l.kind_word || ' ' || l.city,
           format(l.uni, l.city),
           l.kind, l.country, l.city,
           (ARRAY['Via Roma', 'Rue de la République', 'Hauptstraße', 'Calle Mayor',
                  'ulica Długa', 'Gedimino prospektas', 'Kauppakatu', 'Kerkstraat',
                  'Storgatan', 'Náměstí Míru'])[1 + l.h4 % 10]
               || ' ' || (1 + l.h2 % 180) || ', ' || l.city,
           round((l.lat + (l.h2 % 3000 - 1500) / 10000.0)::numeric, 5),
           round((l.lon + (l.h3 % 3000 - 1500) / 10000.0)::numeric, 5),
           CASE WHEN l.h4 % 10 < 6 THEN 'https://' || l.ascii || '-' || l.number || '.example.org/' END,
           CASE WHEN l.h1 % 10 < 5 THEN 'lab' || l.number || '@' || l.ascii || '.example.org' END,
           CASE WHEN l.h3 % 10 < 4 THEN '+' || (30 + l.h3 % 40) || ' ' || (100 + l.h2 % 900) || ' ' || (1000 + l.h4 % 9000) END,
           'A ' || lower(l.kind_word) || ' in ' || l.city || ' where '
               || (ARRAY['students', 'researchers', 'local companies', 'makers',
                         'school teachers', 'start-ups', 'citizens', 'designers'])[1 + l.h1 % 8]
               || ' ' || (ARRAY['prototype medical aids', 'build sensors for air quality',
                         'design circular products', 'test immersive lessons',
                         'repair electronics', 'develop open hardware',
                         'run co-design workshops', 'print spare parts',
                         'shoot educational video', 'experiment with bio-materials'])[1 + l.h2 % 10]
               || '. ' || (ARRAY['Open to partner projects.', 'Visits on request.',
                         'Summer schools every July.', 'Training for adult educators.',
                         'Weekly open evenings for the public.', ''])[1 + l.h3 % 6],
           l.disciplines, l.facilities,
           (ARRAY['FDM and resin printers, a laser cutter.', 'A CNC router and a wood shop.',
                  'Soldering stations, oscilloscopes, a pick-and-place machine.',
                  'VR headsets and a motion-capture room.', 'Sewing machines and a knitting machine.',
                  'A sound booth and a green screen.', ''])[1 + l.h4 % 7],
           CASE WHEN l.lang = 'en' THEN ARRAY['en']
                WHEN l.lang = 'ga' THEN ARRAY['en', 'ga']
                ELSE ARRAY[l.lang, 'en'] END,
           CASE WHEN l.h5 / 7 % 100 < 92 THEN 'published'
                WHEN l.h5 / 7 % 100 < 95 THEN 'pending'
                WHEN l.h5 / 7 % 100 < 98 THEN 'draft'
                ELSE 'archived' END,
           timestamptz '2024-01-01 00:00+00' + (l.h1 % (3 * 365 * 86400)) * interval '1 second',
           timestamptz '2024-01-01 00:00+00' + (l.h1 % (3 * 365 * 86400) + l.h2 % 864000) * interval '1 second',
           -- terms_text as labs_check sets it: the labels of the lab's
           -- terms in every language, then the keys.
           concat_ws(' ', labels ->> ('country:' || l.country),
               (SELECT string_agg(labels ->> ('discipline:' || k), ' ') FROM unnest(l.disciplines) k),
               (SELECT string_agg(labels ->> ('facility:' || k), ' ') FROM unnest(l.facilities) k))
               || ' ' || array_to_string(l.disciplines || l.facilities, ' ')
    FROM lab l;
    GET DIAGNOSTICS added = ROW_COUNT;

    ALTER TABLE labs.labs ENABLE TRIGGER labs_check;
    RETURN added;
END $$;
REVOKE EXECUTE ON FUNCTION labnet_seed(integer) FROM PUBLIC;
