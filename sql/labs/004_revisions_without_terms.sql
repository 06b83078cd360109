-- The edit and status handlers snapshot a lab without the columns the
-- database derives (search, sort_name, the times), but terms_text (added
-- by 002) was missing from that list, so every revision since showed it
-- as a changed field. The handlers leave it out now; this drops it from
-- the revisions already written.
UPDATE revisions SET changes = changes - 'terms_text' WHERE changes ? 'terms_text';
