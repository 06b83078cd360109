-- The hello plugin's one table: names the network knows, with a note.
-- Runs in schema "hello" (the core sets search_path), as the owner role.
CREATE TABLE names (
    name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    note text NOT NULL DEFAULT ''
);
