-- 001_init.sql — the initial salesplan schema (SQLite dialect).
--
-- Applied once by the migration runner in src/store/sqlite.c, inside a
-- transaction; the runner records it in schema_migrations (which it creates
-- itself, so it is not part of this file).
--
-- Conventions:
--   * ids are INTEGER PRIMARY KEY (the rowid); a reference of 0 in the C
--     structs is stored as NULL, so every optional reference is a nullable
--     FOREIGN KEY.
--   * dates are INTEGER days since 1970-01-01 (sp_date); instants are
--     INTEGER unix seconds.
--   * money is INTEGER minor units; quantities are INTEGER thousandths.
--   * target cells use NULL for "all members" in their dimension columns and
--     are made unique by an index over ifnull(column, 0), because NULLs are
--     distinct in a plain SQLite UNIQUE constraint.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Organisation tree: company (root) -> region -> team -> rep.
CREATE TABLE org_node (
	id        INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES org_node(id),
	code      TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL,
	manager   TEXT NOT NULL DEFAULT '',
	kind      TEXT NOT NULL CHECK (kind IN ('company', 'region', 'team', 'rep', 'unit'))
);

-- Dimension members. A product belongs to a product line and a customer to
-- a segment; both links are optional so facts can name a product or a
-- customer before its grouping is known.
CREATE TABLE product_line (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

CREATE TABLE product (
	id              INTEGER PRIMARY KEY,
	product_line_id INTEGER REFERENCES product_line(id),
	code            TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL
);

CREATE TABLE channel (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

CREATE TABLE segment (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

CREATE TABLE customer (
	id         INTEGER PRIMARY KEY,
	segment_id INTEGER REFERENCES segment(id),
	code       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL
);

-- One row per loaded file.
CREATE TABLE import (
	id   INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	file TEXT NOT NULL,
	rows INTEGER NOT NULL,
	at   INTEGER NOT NULL
);

-- Sales transaction lines (actuals).
CREATE TABLE sale (
	id              INTEGER PRIMARY KEY,
	import_id       INTEGER REFERENCES import(id),
	date            INTEGER NOT NULL,
	org_id          INTEGER NOT NULL REFERENCES org_node(id),
	product_line_id INTEGER REFERENCES product_line(id),
	product_id      INTEGER REFERENCES product(id),
	channel_id      INTEGER REFERENCES channel(id),
	segment_id      INTEGER REFERENCES segment(id),
	customer_id     INTEGER REFERENCES customer(id),
	amount          INTEGER NOT NULL,
	quantity        INTEGER NOT NULL,
	profit          INTEGER NOT NULL,
	order_no        TEXT
);
CREATE INDEX sale_date ON sale(date);
CREATE INDEX sale_org_date ON sale(org_id, date);

-- Working-day calendar overrides (holidays, make-up workdays, ...).
CREATE TABLE calendar_day (
	date INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('workday', 'weekend', 'holiday', 'makeup')),
	name TEXT
);

CREATE TABLE plan (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	year       INTEGER NOT NULL,
	status     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

-- Target cells. grain is enum sp_grain; period is the human-readable form
-- (sp_period_format with the fiscal_year_start setting at write time), kept
-- only for people reading the database; start_date/end_date are the truth.
CREATE TABLE target (
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
	value           INTEGER NOT NULL,
	locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
	method          TEXT NOT NULL DEFAULT '',
	parent_id       INTEGER REFERENCES target(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX target_key ON target(plan_id, metric, org_id, grain, start_date, end_date,
	ifnull(product_line_id, 0), ifnull(product_id, 0), ifnull(channel_id, 0),
	ifnull(segment_id, 0));
CREATE INDEX target_plan ON target(plan_id);
-- Makes ON DELETE SET NULL of a cell's children an index lookup.
CREATE INDEX target_parent ON target(parent_id);
