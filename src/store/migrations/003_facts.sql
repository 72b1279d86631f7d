-- 003_facts.sql — facts besides sales lines, alerts and weekly reviews
-- (issue 4). Same conventions as 001_init.sql: dates are INTEGER days since
-- 1970-01-01, money INTEGER minor units, optional references nullable.
--
-- Credit splits of sales lines need no table: a split line is stored as one
-- sale row per rep (same order number), its parts adding up exactly.

-- Cash received (回款), optionally against an order number of the sales.
CREATE TABLE collection (
	id          INTEGER PRIMARY KEY,
	import_id   INTEGER REFERENCES import(id),
	date        INTEGER NOT NULL,
	org_id      INTEGER NOT NULL REFERENCES org_node(id),
	customer_id INTEGER REFERENCES customer(id),
	order_no    TEXT NOT NULL DEFAULT '',
	amount      INTEGER NOT NULL
);
CREATE INDEX collection_date ON collection(date);
CREATE INDEX collection_order ON collection(order_no);

-- Sales activities of reps.
CREATE TABLE activity (
	id          INTEGER PRIMARY KEY,
	import_id   INTEGER REFERENCES import(id),
	date        INTEGER NOT NULL,
	org_id      INTEGER NOT NULL REFERENCES org_node(id),
	customer_id INTEGER REFERENCES customer(id),
	type        TEXT NOT NULL CHECK (type IN ('visit', 'call', 'meeting')),
	outcome     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_org_date ON activity(org_id, date);

-- Opportunities (商机): their current state; the history is in
-- opportunity_stage. stage is one of lead, qualified, proposal,
-- negotiation, won, lost; closed is the date it was won or lost.
CREATE TABLE opportunity (
	id             INTEGER PRIMARY KEY,
	code           TEXT NOT NULL UNIQUE,
	org_id         INTEGER NOT NULL REFERENCES org_node(id),
	customer_id    INTEGER REFERENCES customer(id),
	amount         INTEGER NOT NULL,
	stage          TEXT NOT NULL,
	created        INTEGER NOT NULL,
	expected_close INTEGER,
	closed         INTEGER,
	reason         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE opportunity_stage (
	id             INTEGER PRIMARY KEY,
	opportunity_id INTEGER NOT NULL REFERENCES opportunity(id) ON DELETE CASCADE,
	import_id      INTEGER REFERENCES import(id),
	stage          TEXT NOT NULL,
	date           INTEGER NOT NULL,
	UNIQUE (opportunity_id, stage, date)
);
CREATE INDEX opportunity_stage_opp ON opportunity_stage(opportunity_id, date);

-- Alerts raised by the rules (app/alerts.c). key identifies what the alert
-- is about within its rule (a cell, a rep, a customer, an opportunity), so
-- an evaluation updates the open alert instead of raising a second one.
CREATE TABLE alert (
	id       INTEGER PRIMARY KEY,
	rule     TEXT NOT NULL,
	key      TEXT NOT NULL,
	org_id   INTEGER REFERENCES org_node(id),
	owner    TEXT NOT NULL DEFAULT '',
	subject  TEXT NOT NULL,
	message  TEXT NOT NULL,
	state    TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'resolved')),
	raised   INTEGER NOT NULL,  -- as-of date of the evaluation that raised it
	seen     INTEGER NOT NULL,  -- as-of date of the last evaluation that saw it
	changed_by TEXT NOT NULL DEFAULT '',
	changed_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_rule_key ON alert(rule, key);
CREATE INDEX alert_state ON alert(state);

-- Weekly self-review of a rep: the text parts; the numbers come from data.
CREATE TABLE review (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES org_node(id),
	week_start INTEGER NOT NULL,
	done       TEXT NOT NULL DEFAULT '',
	gaps       TEXT NOT NULL DEFAULT '',
	help       TEXT NOT NULL DEFAULT '',
	next_plan  TEXT NOT NULL DEFAULT '',
	author     TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	UNIQUE (org_id, week_start)
);
