-- Text search helpers shared by every plugin: accent-insensitive matching
-- ("Socialiniu" finds "Socialinių"). unaccent and pg_trgm are trusted
-- extensions, so the owner role (which owns the database) may create them;
-- they live in schema core, where the runtime role has USAGE.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA core;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA core;

-- unaccent() is STABLE (it reads its dictionary through search_path), so
-- an index expression or a generated column cannot call it. This wrapper
-- names the dictionary by schema and is declared IMMUTABLE, which is true
-- as long as nobody edits unaccent.rules, the usual way to index it.
CREATE FUNCTION search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(core.unaccent('core.unaccent'::regdictionary, t)) $$;

-- A prefix query from what a visitor typed: every word (letters and digits,
-- folded) must start a word of the document: 'metro hels' finds
-- "Metropolia ... Helsinki". NULL when nothing searchable was typed. Only
-- letters and digits reach to_tsquery, so no input is query syntax.
CREATE FUNCTION search_query(typed text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$
    SELECT to_tsquery('simple', string_agg(word || ':*', ' & '))
    FROM regexp_split_to_table(core.search_fold(typed), '[^[:alnum:]]+') AS w(word)
    WHERE word <> ''
    $$;
