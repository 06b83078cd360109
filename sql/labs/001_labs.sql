-- The labs directory (issue 5): labs, their revisions and their old slugs.
-- Runs in schema "labs" as the owner role (search_path labs, core); the
-- runtime role gets SELECT/INSERT/UPDATE/DELETE on these tables and their
-- sequences through the default privileges the migration runner sets.
--
-- What a visitor may see is decided here too: only status 'published' is
-- public. Every limit the edit forms will check (plugins/labs/validate.c)
-- is also a constraint, so no path into the table can skip it.

CREATE TABLE labs (
    id bigserial PRIMARY KEY,
    -- The stable URL name; "map" and "new" are pages of their own.
    slug text NOT NULL UNIQUE
        CHECK (slug ~ '^[a-z0-9-]{2,80}$' AND slug NOT IN ('map', 'new')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200 AND name ~ '[^[:space:]]'),
    institution text NOT NULL DEFAULT '' CHECK (length(institution) <= 200),
    kind text NOT NULL CHECK (kind IN ('university-lab', 'fab-lab', 'living-lab',
        'makerspace', 'design-studio', 'other')),
    -- ISO 3166-1 alpha-2; that it is a known code is checked by the trigger
    -- below against the shared vocabulary (scheme "country").
    country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city text NOT NULL DEFAULT '' CHECK (length(city) <= 120),
    address text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    website text CHECK (length(website) <= 500
        AND website ~* '^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?([/?#][^[:space:]]*)?$'),
    email text CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    phone text CHECK (phone ~ '^\+?[0-9(][0-9 ()./-]{3,38}$'),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    -- Keys of the shared vocabulary (schemes discipline, facility).
    disciplines text[] NOT NULL DEFAULT '{}' CHECK (cardinality(disciplines) <= 30),
    facilities text[] NOT NULL DEFAULT '{}' CHECK (cardinality(facilities) <= 50),
    equipment text NOT NULL DEFAULT '' CHECK (length(equipment) <= 5000),
    -- ISO 639-1 codes of the languages the staff speak.
    languages text[] NOT NULL DEFAULT '{}' CHECK (cardinality(languages) <= 20
        AND array_to_string(languages, ',') ~ '^([a-z]{2}(,[a-z]{2})*)?$'),
    status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending', 'published', 'archived')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    -- Sort key of the name: case and accents folded.
    sort_name text GENERATED ALWAYS AS (core.search_fold(name)) STORED,
    -- What full-text search looks at, accents folded; name and institution
    -- weigh most.
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', core.search_fold(name)), 'A') ||
        setweight(to_tsvector('simple', core.search_fold(institution)), 'A') ||
        setweight(to_tsvector('simple', core.search_fold(city || ' ' || country)), 'B') ||
        setweight(to_tsvector('simple', core.search_fold(description)), 'C') ||
        setweight(to_tsvector('simple', core.search_fold(equipment)), 'D')
    ) STORED
);
CREATE INDEX labs_search ON labs USING gin (search);
CREATE INDEX labs_published_name ON labs (sort_name, id) WHERE status = 'published';
CREATE INDEX labs_published_new ON labs (created_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX labs_disciplines ON labs USING gin (disciplines);
CREATE INDEX labs_facilities ON labs USING gin (facilities);

-- Vocabulary keys and the country must be known terms; updated_at follows
-- every change. (Arrays cannot carry foreign keys.)
CREATE FUNCTION labs_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT core.vocab_has('country', NEW.country) THEN
        RAISE EXCEPTION 'unknown country "%"', NEW.country
            USING ERRCODE = 'check_violation', CONSTRAINT = 'labs_country_known';
    END IF;
    IF NOT core.vocab_has_all('discipline', NEW.disciplines) THEN
        RAISE EXCEPTION 'unknown discipline in %', NEW.disciplines
            USING ERRCODE = 'check_violation', CONSTRAINT = 'labs_disciplines_known';
    END IF;
    IF NOT core.vocab_has_all('facility', NEW.facilities) THEN
        RAISE EXCEPTION 'unknown facility in %', NEW.facilities
            USING ERRCODE = 'check_violation', CONSTRAINT = 'labs_facilities_known';
    END IF;
    -- A set, in a stable order: facet counts must not count a term twice.
    NEW.disciplines := ARRAY(SELECT DISTINCT d FROM unnest(NEW.disciplines) AS u(d) ORDER BY d);
    NEW.facilities := ARRAY(SELECT DISTINCT f FROM unnest(NEW.facilities) AS u(f) ORDER BY f);
    IF TG_OP = 'UPDATE' THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER labs_check BEFORE INSERT OR UPDATE ON labs
    FOR EACH ROW EXECUTE FUNCTION labs_check();

-- A slug a lab had before: /labs/{old} answers 301 to the current one.
CREATE TABLE old_slugs (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{2,80}$'),
    lab_id bigint NOT NULL REFERENCES labs (id) ON DELETE CASCADE,
    replaced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX old_slugs_lab ON old_slugs (lab_id);

-- Renaming keeps the old slug (and taking back an old slug drops it).
CREATE FUNCTION labs_slug_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM labs.old_slugs WHERE slug = NEW.slug;
    INSERT INTO labs.old_slugs (slug, lab_id) VALUES (OLD.slug, NEW.id)
        ON CONFLICT (slug) DO UPDATE SET lab_id = EXCLUDED.lab_id,
                                         replaced_at = now();
    RETURN NEW;
END $$;
CREATE TRIGGER labs_slug_moved AFTER UPDATE OF slug ON labs
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION labs_slug_moved();

-- One row per change, for the history page that comes with editing: who
-- (a core.users id; no foreign key, so that this migration does not depend
-- on the accounts migration's order, and a deleted user's history stays),
-- when, and what changed: {"field": {"old": ..., "new": ...}, ...}.
-- Editors of a lab are not stored here: they are the core's per-object
-- rights (ln_editor_grant) on the object key "lab:<id>", stable across
-- renames.
CREATE TABLE revisions (
    id bigserial PRIMARY KEY,
    lab_id bigint NOT NULL REFERENCES labs (id) ON DELETE CASCADE,
    user_id bigint,
    at timestamptz NOT NULL DEFAULT now(),
    action text NOT NULL CHECK (action IN ('create', 'update', 'submit',
        'approve', 'reject', 'archive', 'restore')),
    changes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(changes) = 'object'),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000)
);
CREATE INDEX revisions_lab ON revisions (lab_id, at DESC);

-- N synthetic published labs for scale tests (slugs synthetic-lab-N...),
-- spread over Europe with vocabulary terms cycled. Run as the owner:
--     SELECT labs.seed_synthetic(10000);
-- Returns how many were added; existing synthetic slugs are skipped.
CREATE FUNCTION seed_synthetic(n integer) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    added integer;
    countries text[] := ARRAY['IT', 'LT', 'PL', 'FR', 'NL', 'FI', 'DE', 'ES',
        'PT', 'BE', 'AT', 'SE', 'DK', 'EE', 'LV', 'CZ'];
    kinds text[] := ARRAY['university-lab', 'fab-lab', 'living-lab',
        'makerspace', 'design-studio', 'other'];
    disc text[] := ARRAY(SELECT key FROM core.vocab_terms
                         WHERE scheme = 'discipline' ORDER BY position);
    fac text[] := ARRAY(SELECT key FROM core.vocab_terms
                        WHERE scheme = 'facility' ORDER BY position);
BEGIN
    INSERT INTO labs.labs (slug, name, institution, kind, country, city,
        latitude, longitude, description, disciplines, facilities, languages,
        status)
    SELECT 'synthetic-lab-' || i,
           'Synthetic Lab ' || i,
           'Synthetic Institute ' || (i % 97),
           kinds[1 + i % 6],
           countries[1 + i % 16],
           'Town ' || (i % 211),
           round((36 + (i * 7919 % 3400) / 100.0)::numeric, 4),
           round((-9 + (i * 104729 % 3800) / 100.0)::numeric, 4),
           'A generated lab for scale tests, number ' || i || '.',
           ARRAY[disc[1 + i % cardinality(disc)], disc[1 + (i / 7) % cardinality(disc)]],
           ARRAY[fac[1 + i % cardinality(fac)]],
           ARRAY['en'],
           'published'
    FROM generate_series(1, n) AS g(i)
    ON CONFLICT (slug) DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END $$;
REVOKE EXECUTE ON FUNCTION seed_synthetic(integer) FROM PUBLIC;
