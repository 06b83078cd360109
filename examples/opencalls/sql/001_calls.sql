-- Open calls: one row per call, public while its deadline has not passed.
CREATE TABLE calls (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{2,80}$'),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('grant', 'residency', 'challenge', 'call')),
    organiser text NOT NULL,
    deadline date NOT NULL,
    body text NOT NULL DEFAULT '',
    url text CHECK (url ~ '^https?://')
);
CREATE INDEX calls_deadline ON calls (deadline);
