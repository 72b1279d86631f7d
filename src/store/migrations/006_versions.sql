-- 006_versions.sql — the plan as a living document (issue 7, items 1-3):
-- document numbers, versions with their history, snapshots of the target
-- cells per version, change requests with their cells and votes, and the
-- signatures of responsibility letters (目标责任书).
--
-- Same conventions as 001_init.sql: instants are INTEGER unix seconds,
-- dates INTEGER days since 1970-01-01, values INTEGER in the metric's unit,
-- NULL dimension columns mean "all members".
--
-- The model (see docs/plan-lifecycle.md and src/app/versions.h): the
-- `target` table is the plan's working copy. A version's cells are copied
-- into version_cell when it leaves draft, so every version but an open
-- draft is kept as it was. The working copy can be changed only while
-- plan.status is 'draft' (version 1 being prepared) or 'revising' (a
-- revision being prepared); the triggers at the end enforce that for every
-- writer, whatever layer it comes from.

-- The document number of a plan, from the plan.number_pattern setting at
-- creation. seq counts the plans of one fiscal year.
CREATE TABLE plan_doc (
	plan_id INTEGER PRIMARY KEY REFERENCES plan(id) ON DELETE CASCADE,
	year    INTEGER NOT NULL,
	seq     INTEGER NOT NULL,
	doc_no  TEXT NOT NULL UNIQUE
);

-- Versions 1, 2, ... of a plan. Version 1 is the original; later ones are
-- revisions, opened by hand (plan revise) or made by an approved change
-- request (change_id).
CREATE TABLE plan_version (
	id         INTEGER PRIMARY KEY,
	plan_id    INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	number     INTEGER NOT NULL CHECK (number >= 1),
	status     TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'active',
						  'archived', 'rejected', 'discarded')),
	reason     TEXT NOT NULL DEFAULT '',
	change_id  INTEGER,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (plan_id, number)
);

-- Every transition of a version: the status entered, who, when, a note.
CREATE TABLE plan_version_event (
	id         INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,
	status     TEXT NOT NULL,
	username   TEXT NOT NULL,
	at         INTEGER NOT NULL,
	note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_version_event_version ON plan_version_event(version_id);

-- The cells of a version as they were when it left draft. target_id and
-- parent_target_id are the working copy's ids at that time (the split
-- tree), kept so a discarded revision can be rolled back exactly.
CREATE TABLE version_cell (
	version_id       INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,
	target_id        INTEGER NOT NULL,
	metric           TEXT NOT NULL,
	org_id           INTEGER NOT NULL,
	grain            INTEGER NOT NULL,
	start_date       INTEGER NOT NULL,
	end_date         INTEGER NOT NULL,
	period           TEXT NOT NULL,
	product_line_id  INTEGER,
	product_id       INTEGER,
	channel_id       INTEGER,
	segment_id       INTEGER,
	value            INTEGER NOT NULL,
	locked           INTEGER NOT NULL,
	method           TEXT NOT NULL,
	parent_target_id INTEGER,
	PRIMARY KEY (version_id, target_id)
);

-- The split tree of a version (target_link and target_split of 004, by the
-- working copy's ids of the snapshot), so a rollback restores the remembered
-- splits too.
CREATE TABLE version_link (
	version_id       INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,
	parent_target_id INTEGER NOT NULL,
	child_target_id  INTEGER NOT NULL,
	axis             INTEGER NOT NULL,
	PRIMARY KEY (version_id, child_target_id, axis)
);
CREATE TABLE version_split (
	version_id     INTEGER NOT NULL REFERENCES plan_version(id) ON DELETE CASCADE,
	cell_target_id INTEGER NOT NULL,
	axis           TEXT NOT NULL,
	axis2          TEXT NOT NULL,
	method         TEXT NOT NULL,
	params         TEXT NOT NULL,
	PRIMARY KEY (version_id, cell_target_id, axis, axis2)
);

-- A proposed change to an active plan. The rules that decide it (board,
-- veto holders, fraction, how abstentions count) are copied from the
-- settings when it is proposed, so changing the settings later does not
-- change how a running vote is counted.
CREATE TABLE change_request (
	id              INTEGER PRIMARY KEY,
	plan_id         INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	base_version    INTEGER NOT NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('major', 'minor')),
	why             TEXT NOT NULL DEFAULT '',
	reason          TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected', 'expired',
							'failed', 'withdrawn')),
	proposed_by     TEXT NOT NULL,
	proposed_at     INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	decided_at      INTEGER,
	decision        TEXT NOT NULL DEFAULT '',
	applied_version INTEGER,
	board           TEXT NOT NULL DEFAULT '',
	veto            TEXT NOT NULL DEFAULT '',
	fraction_num    INTEGER NOT NULL DEFAULT 2,
	fraction_den    INTEGER NOT NULL DEFAULT 3,
	abstentions     TEXT NOT NULL DEFAULT 'against' CHECK (abstentions IN ('against', 'exclude'))
);
CREATE INDEX change_request_plan ON change_request(plan_id);

-- The cells a change request sets: key, value when proposed, new value.
CREATE TABLE change_cell (
	change_id       INTEGER NOT NULL REFERENCES change_request(id) ON DELETE CASCADE,
	seq             INTEGER NOT NULL,
	metric          TEXT NOT NULL,
	org_id          INTEGER NOT NULL REFERENCES org_node(id),
	grain           INTEGER NOT NULL,
	start_date      INTEGER NOT NULL,
	end_date        INTEGER NOT NULL,
	product_line_id INTEGER,
	product_id      INTEGER,
	channel_id      INTEGER,
	segment_id      INTEGER,
	old_value       INTEGER,
	new_value       INTEGER NOT NULL CHECK (new_value >= 0),
	PRIMARY KEY (change_id, seq)
);

-- One vote per user and request, kept whatever the outcome.
CREATE TABLE change_vote (
	change_id INTEGER NOT NULL REFERENCES change_request(id) ON DELETE CASCADE,
	username  TEXT NOT NULL,
	vote      TEXT NOT NULL CHECK (vote IN ('approve', 'reject', 'abstain')),
	comment   TEXT NOT NULL DEFAULT '',
	at        INTEGER NOT NULL,
	PRIMARY KEY (change_id, username)
);

-- A responsibility letter signed: who accepted the targets of an org node
-- in which version of the plan, on which date.
CREATE TABLE letter_signature (
	id          INTEGER PRIMARY KEY,
	plan_id     INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	org_id      INTEGER NOT NULL REFERENCES org_node(id),
	version     INTEGER NOT NULL,
	username    TEXT NOT NULL,
	signed_on   INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	UNIQUE (plan_id, org_id, version)
);

-- Plans that exist already become version 1 of themselves, numbered with
-- the default pattern SN-GG-{year}-{seq:02}.
INSERT INTO plan_version(plan_id, number, status, created_by, created_at)
	SELECT id, 1, 'draft', 'migration', created_at FROM plan;
INSERT INTO plan_version_event(version_id, status, username, at, note)
	SELECT id, 'draft', 'migration', created_at, 'version 1 of a plan made before versions'
	FROM plan_version;
INSERT INTO plan_doc(plan_id, year, seq, doc_no)
	SELECT p.id, p.year,
	       (SELECT count(*) FROM plan q WHERE q.year = p.year AND q.id <= p.id),
	       printf('SN-GG-%d-%02d', p.year,
		      (SELECT count(*) FROM plan q WHERE q.year = p.year AND q.id <= p.id))
	FROM plan p;
UPDATE plan SET status = 'draft';

-- The working copy of a plan that is not being prepared cannot change.
CREATE TRIGGER target_frozen_insert BEFORE INSERT ON target
WHEN (SELECT status FROM plan WHERE id = NEW.plan_id) NOT IN ('draft', 'revising')
BEGIN
	SELECT RAISE(ABORT, 'the plan is not a draft: change it with `salesplan change propose` or open a revision with `salesplan plan revise`');
END;
CREATE TRIGGER target_frozen_update BEFORE UPDATE ON target
WHEN (SELECT status FROM plan WHERE id = OLD.plan_id) NOT IN ('draft', 'revising')
BEGIN
	SELECT RAISE(ABORT, 'the plan is not a draft: change it with `salesplan change propose` or open a revision with `salesplan plan revise`');
END;
CREATE TRIGGER target_frozen_delete BEFORE DELETE ON target
WHEN (SELECT status FROM plan WHERE id = OLD.plan_id) NOT IN ('draft', 'revising')
BEGIN
	SELECT RAISE(ABORT, 'the plan is not a draft: change it with `salesplan change propose` or open a revision with `salesplan plan revise`');
END;
