-- Search also finds a lab by its disciplines, facilities and country, by
-- their labels in every UI language and by their keys: "stampa 3d",
-- "3D-tulostus" and "3d-printing" all find a lab with 3D printing, "Suomi"
-- the labs in Finland. The labels come from the shared vocabulary, so they
-- are copied into terms_text by the trigger (a generated column cannot read
-- other tables); a lab picks up a changed label when it is next saved.

ALTER TABLE labs ADD COLUMN terms_text text NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION labs_terms_text(p_country text, p_disciplines text[],
    p_facilities text[]) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(string_agg(l.label, ' '), '') || ' ' ||
           array_to_string(p_disciplines || p_facilities, ' ')
    FROM core.vocab_labels l
    WHERE (l.scheme = 'discipline' AND l.key = ANY (p_disciplines))
       OR (l.scheme = 'facility' AND l.key = ANY (p_facilities))
       OR (l.scheme = 'country' AND l.key = p_country)
    $$;

CREATE OR REPLACE FUNCTION labs_check() RETURNS trigger LANGUAGE plpgsql AS $$
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
    NEW.terms_text := labs.labs_terms_text(NEW.country, NEW.disciplines, NEW.facilities);
    IF TG_OP = 'UPDATE' THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;

-- The search vector again, with the terms (a generated column's
-- expression cannot be altered in PostgreSQL 15: drop and add).
ALTER TABLE labs DROP COLUMN search;
ALTER TABLE labs ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', core.search_fold(name)), 'A') ||
    setweight(to_tsvector('simple', core.search_fold(institution)), 'A') ||
    setweight(to_tsvector('simple', core.search_fold(city || ' ' || country)), 'B') ||
    setweight(to_tsvector('simple', core.search_fold(terms_text)), 'B') ||
    setweight(to_tsvector('simple', core.search_fold(description)), 'C') ||
    setweight(to_tsvector('simple', core.search_fold(equipment)), 'D')
) STORED;
CREATE INDEX labs_search ON labs USING gin (search);

-- Existing labs, without touching updated_at.
ALTER TABLE labs DISABLE TRIGGER labs_check;
UPDATE labs SET terms_text = labs_terms_text(country, disciplines, facilities);
ALTER TABLE labs ENABLE TRIGGER labs_check;
