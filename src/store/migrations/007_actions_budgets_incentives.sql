-- 007_actions_budgets_incentives.sql — the plan's actions, budget and
-- incentives (issue 7, items 4-6). Same conventions as 001_init.sql: dates
-- INTEGER days since 1970-01-01, instants INTEGER unix seconds, money
-- INTEGER minor units, optional references nullable.

-- Action plan items (行动计划): who does what, when, where, with what, at
-- what cost, in which phase; optionally linked to a target cell (link
-- 'cell') or to the gap of one (link 'gap'): metric, org_id and period
-- (canonical text) name the cell.
CREATE TABLE action_item (
	id         INTEGER PRIMARY KEY,
	plan_id    INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	phase      TEXT NOT NULL,
	title      TEXT NOT NULL,
	content    TEXT NOT NULL DEFAULT '',
	owner_org  INTEGER NOT NULL REFERENCES org_node(id),
	start_date INTEGER NOT NULL,
	due_date   INTEGER NOT NULL,
	place      TEXT NOT NULL DEFAULT '',
	materials  TEXT NOT NULL DEFAULT '',
	cost       INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
	status     TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done', 'cancelled')),
	done_on    INTEGER,
	link       TEXT NOT NULL DEFAULT 'none' CHECK (link IN ('none', 'cell', 'gap')),
	metric     TEXT NOT NULL DEFAULT '',
	org_id     INTEGER REFERENCES org_node(id),
	period     TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	CHECK (due_date >= start_date)
);
CREATE INDEX action_item_plan ON action_item(plan_id);

-- item_id cannot start before depends_on is done (finish-to-start). The
-- app refuses cycles.
CREATE TABLE action_dep (
	item_id    INTEGER NOT NULL REFERENCES action_item(id) ON DELETE CASCADE,
	depends_on INTEGER NOT NULL REFERENCES action_item(id) ON DELETE CASCADE,
	PRIMARY KEY (item_id, depends_on),
	CHECK (item_id <> depends_on)
);

-- A rep's own plan: per dekad (旬) of a month or per day of a week, the
-- numbers of customers, visits, signings, the signed amount and the
-- receivables (回款) the rep means to reach.
CREATE TABLE rep_plan (
	org_id        INTEGER NOT NULL REFERENCES org_node(id),
	grain         TEXT NOT NULL CHECK (grain IN ('dekad', 'day')),
	start_date    INTEGER NOT NULL,
	end_date      INTEGER NOT NULL,
	customers     INTEGER NOT NULL DEFAULT 0 CHECK (customers >= 0),
	visits        INTEGER NOT NULL DEFAULT 0 CHECK (visits >= 0),
	signings      INTEGER NOT NULL DEFAULT 0 CHECK (signings >= 0),
	signed_amount INTEGER NOT NULL DEFAULT 0 CHECK (signed_amount >= 0),
	receivables   INTEGER NOT NULL DEFAULT 0 CHECK (receivables >= 0),
	updated_by    TEXT NOT NULL,
	updated_at    INTEGER NOT NULL,
	PRIMARY KEY (org_id, grain, start_date)
);

-- Budget lines (预算): a resource type, an owner org node, a period and an
-- amount spread over the period's children (budget_part); control says
-- what happens when spending would go over: ignore, warn or refuse.
-- ratio_target: the expense-to-sales ratio aimed at, in basis points of
-- sales (NULL: none).
CREATE TABLE budget_line (
	id           INTEGER PRIMARY KEY,
	plan_id      INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
	type         TEXT NOT NULL,
	org_id       INTEGER NOT NULL REFERENCES org_node(id),
	period       TEXT NOT NULL,
	start_date   INTEGER NOT NULL,
	end_date     INTEGER NOT NULL,
	amount       INTEGER NOT NULL CHECK (amount >= 0),
	spread       TEXT NOT NULL DEFAULT '',
	method       TEXT NOT NULL DEFAULT '',
	control      TEXT NOT NULL CHECK (control IN ('ignore', 'warn', 'refuse')),
	ratio_target INTEGER,
	note         TEXT NOT NULL DEFAULT '',
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	UNIQUE (plan_id, type, org_id, start_date, end_date)
);

-- The line's amount per child period; the parts add up to the line exactly.
CREATE TABLE budget_part (
	line_id    INTEGER NOT NULL REFERENCES budget_line(id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	period     TEXT NOT NULL,
	start_date INTEGER NOT NULL,
	end_date   INTEGER NOT NULL,
	amount     INTEGER NOT NULL,
	PRIMARY KEY (line_id, seq)
);

-- Money spent against a budget line (entered or imported).
CREATE TABLE spending (
	id         INTEGER PRIMARY KEY,
	line_id    INTEGER NOT NULL REFERENCES budget_line(id) ON DELETE CASCADE,
	import_id  INTEGER REFERENCES import(id),
	date       INTEGER NOT NULL,
	amount     INTEGER NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	entered_by TEXT NOT NULL,
	entered_at INTEGER NOT NULL
);
CREATE INDEX spending_line ON spending(line_id);

-- Incentive plans (激励方案): the definition as canonical JSON (see
-- docs/actions-budgets-incentives.md), the sales plan whose targets give
-- attainment (NULL for plans tiered by amount) and the org subtree it
-- applies to.
CREATE TABLE incentive_plan (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	plan_id    INTEGER REFERENCES plan(id) ON DELETE CASCADE,
	org_id     INTEGER NOT NULL REFERENCES org_node(id),
	definition TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
