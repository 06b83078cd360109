-- Accounts, sessions, rights, one-time links, login attempts and the audit
-- trail: the core's accounts service (DESIGN section 6). Runs in schema
-- "core" as the owner role; the runtime role gets DML through the default
-- privileges the migration runner sets.

-- A user. email is NULL only for a deleted account, whose row stays so that
-- records attributed to it keep a "former member" to point at.
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    password_hash text,                 -- crypto_pwhash_str; NULL: none set yet
    role text NOT NULL DEFAULT 'editor' CHECK (role IN ('admin', 'editor')),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- A session: the token itself is never stored, only its BLAKE2b hash (hex).
-- user_id NULL is a pre-login session, which exists for its CSRF token.
CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Per-object rights: user may edit object_key of plugin. The owning plugin
-- fills it (ln_editor_grant / ln_editor_revoke).
CREATE TABLE editors (
    plugin text NOT NULL,
    object_key text NOT NULL,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plugin, object_key, user_id)
);
CREATE INDEX editors_user ON editors (user_id);

-- One-time links (invitations, password resets), stored hashed.
CREATE TABLE tokens (
    token_hash text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Failed sign-ins, for the rate limit; kept for one window.
CREATE TABLE login_attempts (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    account text NOT NULL,              -- lower(email) as typed
    client_addr text NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account, at);
CREATE INDEX login_attempts_addr ON login_attempts (client_addr, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

-- The audit trail. client_addr is cleared after audit_addr_days.
CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id bigint REFERENCES users (id) ON DELETE SET NULL,
    action text NOT NULL,
    subject_id bigint REFERENCES users (id) ON DELETE SET NULL,
    detail text NOT NULL DEFAULT '',
    client_addr text
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_addr ON audit (at) WHERE client_addr IS NOT NULL;
