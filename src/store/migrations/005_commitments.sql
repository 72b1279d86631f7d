-- 005_commitments.sql — bottom-up commitments, their reconciliation log,
-- and the strategic objectives targets are linked to (issue 3, items 5-6).
-- Same conventions as 001_init.sql: dates are INTEGER days since
-- 1970-01-01, values are INTEGER in the metric's unit (minor units for
-- money), NULL dimension columns mean "all members".

-- What a rep or manager commits to for a cell: the same key as a target
-- cell (plan, metric, org node, period, members), one commitment per key.
CREATE TABLE commitment (
	id              INTEGER PRIMARY KEY,
	plan_id         INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	metric          TEXT NOT NULL,
	org_id          INTEGER NOT NULL REFERENCES org_node(id),
	grain           INTEGER NOT NULL CHECK (grain BETWEEN 0 AND 6),
	start_date      INTEGER NOT NULL,
	end_date        INTEGER NOT NULL CHECK (end_date >= start_date),
	period          TEXT NOT NULL,
	product_line_id INTEGER REFERENCES product_line(id),
	product_id      INTEGER REFERENCES product(id),
	channel_id      INTEGER REFERENCES channel(id),
	segment_id      INTEGER REFERENCES segment(id),
	value           INTEGER NOT NULL CHECK (value >= 0),
	author          TEXT NOT NULL,
	at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX commitment_key ON commitment(plan_id, metric, org_id, grain, start_date,
	end_date, ifnull(product_line_id, 0), ifnull(product_id, 0), ifnull(channel_id, 0),
	ifnull(segment_id, 0));

-- Every reconciliation decision: which cell, how, by whom, and the target
-- and roll-up at the time (values in the metric's unit).
CREATE TABLE reconciliation (
	id        INTEGER PRIMARY KEY,
	plan_id   INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	cell      TEXT NOT NULL,
	mode      TEXT NOT NULL CHECK (mode IN ('accept-rollup', 'keep-top-down', 'spread-gap')),
	method    TEXT NOT NULL DEFAULT '',
	target    INTEGER NOT NULL,
	rollup    INTEGER NOT NULL,
	author    TEXT NOT NULL,
	at        INTEGER NOT NULL
);
CREATE INDEX reconciliation_plan ON reconciliation(plan_id);

-- Strategic objectives of a plan ("Grow the East", "Win 100 new accounts").
CREATE TABLE objective (
	id          INTEGER PRIMARY KEY,
	plan_id     INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	UNIQUE (plan_id, name)
);

-- Targets linked to an objective. A cell's parts (cells split from it)
-- inherit its links, so linking the top-line goal covers its decomposition.
CREATE TABLE target_objective (
	target_id    INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
	objective_id INTEGER NOT NULL REFERENCES objective(id) ON DELETE CASCADE,
	PRIMARY KEY (target_id, objective_id)
);
CREATE INDEX target_objective_objective ON target_objective(objective_id);
