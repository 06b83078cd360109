-- Every write to the site's data, from Labnet or from anywhere else (psql,
-- a cron job, another host), tells the Labnet workers that listen on the
-- channel labnet_data, so that their render caches never serve a page made
-- from older data (core/dataver.h). A statement-level trigger: one
-- notification per statement, and PostgreSQL folds the repeats of one
-- transaction into one, sent at commit (none on rollback).
--
-- The payload names the host whose worker wrote (the setting labnet.host
-- that Labnet's request connections carry); that host's own workers have
-- already moved on, and ignore it. A write from psql carries none.

CREATE FUNCTION data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('labnet_data', coalesce(current_setting('labnet.host', true), ''));
  RETURN NULL;
END
$$;

-- Put the trigger on every table of schema target that lacks it; returns
-- how many got it. `labnet migrate` calls it for each plugin's schema
-- after the plugin's migrations, so a table a later migration adds is
-- watched too.
CREATE FUNCTION watch_data(target name) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  rel regclass;
  added integer := 0;
BEGIN
  FOR rel IN
    SELECT c.oid::regclass FROM pg_class c
      JOIN pg_namespace s ON s.oid = c.relnamespace
     WHERE s.nspname = target AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                        WHERE g.tgrelid = c.oid AND g.tgname = 'labnet_data_changed')
  LOOP
    EXECUTE format('CREATE TRIGGER labnet_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                   'ON %s FOR EACH STATEMENT EXECUTE FUNCTION core.data_changed()', rel);
    added := added + 1;
  END LOOP;
  RETURN added;
END
$$;

-- Of the core's own tables, only the shared vocabulary shows on public
-- pages; sessions, sign-in attempts and the audit trail change without
-- changing any page a visitor sees.
CREATE TRIGGER labnet_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON vocab_terms FOR EACH STATEMENT EXECUTE FUNCTION data_changed();
CREATE TRIGGER labnet_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON vocab_labels FOR EACH STATEMENT EXECUTE FUNCTION data_changed();
