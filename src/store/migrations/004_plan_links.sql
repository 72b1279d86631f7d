-- 004_plan_links.sql — the links between target cells, the splits that made
-- them, people attributes for capacity splits, market sizes, and half
-- working days in the calendar (issue 3, items 1-4).
-- Same conventions as 001_init.sql.

-- A cell may be a part of more than one split: a cell of a region x month
-- table filled to both margins is a part of its region's year (along the
-- time axis) and of the company's month (along the org axis). One row per
-- (child, axis class): axis is 0 for time (any grain), 10 for the org tree,
-- 20 for products (product line or product), 22 channel, 23 segment. The
-- invariant the application keeps: a parent equals the exact sum of its
-- children along each axis class. target.parent_id stays as the cell's
-- first link, for readers of the database.
CREATE TABLE target_link (
	parent_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
	child_id  INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
	axis      INTEGER NOT NULL CHECK (axis IN (0, 10, 20, 22, 23)),
	PRIMARY KEY (child_id, axis)
) WITHOUT ROWID;
CREATE INDEX target_link_parent ON target_link(parent_id);

INSERT INTO target_link(parent_id, child_id, axis)
SELECT p.id, c.id,
	CASE
		WHEN c.grain <> p.grain OR c.start_date <> p.start_date OR c.end_date <> p.end_date THEN 0
		WHEN c.org_id <> p.org_id THEN 10
		WHEN ifnull(c.product_line_id, 0) <> ifnull(p.product_line_id, 0)
		  OR ifnull(c.product_id, 0) <> ifnull(p.product_id, 0) THEN 20
		WHEN ifnull(c.channel_id, 0) <> ifnull(p.channel_id, 0) THEN 22
		ELSE 23
	END
FROM target c JOIN target p ON p.id = c.parent_id;

-- How a cell was split, so `target resplit` can do it again: axis is the
-- axis name as users give it ("month", "org", "product_line", ...); axis2
-- is the column axis of a two-way fill ('' for a plain split); method and
-- params as given ("history", "years=3"; "fill", "seed=history").
CREATE TABLE target_split (
	id         INTEGER PRIMARY KEY,
	cell_id    INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
	axis       TEXT NOT NULL,
	axis2      TEXT NOT NULL DEFAULT '',
	method     TEXT NOT NULL,
	params     TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	UNIQUE (cell_id, axis, axis2)
);

-- People attributes for capacity splits: level (1 junior .. 5 senior, a
-- weight table in the app), hire date for the ramp-up curve, full-time
-- equivalent, planned leave in working days per fiscal year.
CREATE TABLE rep_profile (
	org_id     INTEGER PRIMARY KEY REFERENCES org_node(id) ON DELETE CASCADE,
	hire_date  INTEGER,
	level      INTEGER NOT NULL DEFAULT 3 CHECK (level BETWEEN 1 AND 5),
	fte        INTEGER NOT NULL DEFAULT 1000 CHECK (fte BETWEEN 0 AND 1000), -- thousandths
	leave_days INTEGER NOT NULL DEFAULT 0 CHECK (leave_days >= 0)            -- tenths of a day
);

-- Market size per org node and period (minor units), the denominator of
-- the market share metric.
CREATE TABLE market_size (
	org_id     INTEGER NOT NULL REFERENCES org_node(id) ON DELETE CASCADE,
	grain      INTEGER NOT NULL CHECK (grain BETWEEN 0 AND 6),
	start_date INTEGER NOT NULL,
	end_date   INTEGER NOT NULL CHECK (end_date >= start_date),
	value      INTEGER NOT NULL CHECK (value >= 0),
	PRIMARY KEY (org_id, grain, start_date, end_date)
);

-- Half working days (e.g. the afternoon before a holiday): a day type that
-- weighs 0.5 in workday splits. SQLite cannot change a CHECK, so the table
-- is rebuilt.
CREATE TABLE calendar_day_new (
	date INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('workday', 'weekend', 'holiday', 'makeup', 'halfday')),
	name TEXT
);
INSERT INTO calendar_day_new(date, type, name) SELECT date, type, name FROM calendar_day;
DROP TABLE calendar_day;
ALTER TABLE calendar_day_new RENAME TO calendar_day;

-- Splits of cells made before this migration: their axis from the link,
-- their method from the parts.
WITH g AS (SELECT parent_id, axis, min(child_id) AS one FROM target_link
	   GROUP BY parent_id, axis)
INSERT INTO target_split(cell_id, axis, method, updated_at)
SELECT g.parent_id,
	CASE
		WHEN g.axis = 0 THEN
			CASE c.grain
				WHEN 1 THEN 'half' WHEN 2 THEN 'quarter' WHEN 3 THEN 'month'
				WHEN 4 THEN 'dekad' WHEN 5 THEN 'week' ELSE 'day'
			END
		WHEN g.axis = 10 THEN 'org'
		WHEN g.axis = 20 AND c.product_id IS NOT NULL AND p.product_id IS NULL THEN 'product'
		WHEN g.axis = 20 THEN 'product_line'
		WHEN g.axis = 22 THEN 'channel'
		ELSE 'segment'
	END,
	ifnull((SELECT max(k.method) FROM target k JOIN target_link l ON l.child_id = k.id
		WHERE l.parent_id = g.parent_id AND l.axis = g.axis AND k.locked = 0), 'equal'),
	CAST(strftime('%s', 'now') AS INTEGER)
FROM g JOIN target c ON c.id = g.one JOIN target p ON p.id = g.parent_id;
