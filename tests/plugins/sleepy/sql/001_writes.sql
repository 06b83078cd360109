CREATE TABLE writes (
    id bigserial PRIMARY KEY,
    label text NOT NULL
);
