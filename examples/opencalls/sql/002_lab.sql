-- The lab that runs a call, by its slug in the labs directory, so a lab's
-- page can list its open calls (the lab.sidebar slot). A soft reference:
-- plugins do not reach into each other's schemas.
ALTER TABLE calls ADD COLUMN lab text CHECK (lab ~ '^[a-z0-9-]{2,80}$');
CREATE INDEX calls_lab ON calls (lab, deadline);
