-- 002_users.sql — users, sessions, login attempts and the audit log.
--
-- Users log in with a password (argon2id hash in libsodium's string format),
-- have a role and, for managers and reps, an org node that scopes what they
-- see and change. Sessions are stored by a hash of their token only: the
-- token itself lives in the browser's cookie and nowhere else. Login
-- attempts feed the throttle (failures per account and per address in a
-- time window). The audit log records every change to targets, plans, users
-- and settings: who, when, what, and the state before and after as JSON.

CREATE TABLE app_user (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'director', 'manager', 'rep', 'finance')),
	org_id        INTEGER REFERENCES org_node(id),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at    INTEGER NOT NULL
);

-- token_hash: hex BLAKE2b-256 of the session token.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	address    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_user ON session(user_id);

CREATE TABLE login_attempt (
	id       INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	address  TEXT NOT NULL,
	at       INTEGER NOT NULL,
	ok       INTEGER NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX login_attempt_user ON login_attempt(username, at);
CREATE INDEX login_attempt_address ON login_attempt(address, at);

-- before/after: JSON text or NULL (nothing before a creation).
CREATE TABLE audit_log (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	username TEXT NOT NULL,
	action   TEXT NOT NULL,
	object   TEXT NOT NULL,
	before   TEXT,
	after    TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
