-- pat run database, format version 3 (docs/format.md: the versions and what a reader
-- checks).
--
-- One SQLite file per run (run.db by default). A pat database is recognised by
-- PRAGMA application_id = 0x50415431 ('PAT1'); PRAGMA user_version holds the format
-- version, which readers check and refuse when they do not know it. All times are
-- nanoseconds of the trace clock (CLOCK_MONOTONIC-like seconds since boot, as printed by
-- ftrace). Addresses and instruction pointers are unsigned 64-bit values stored in
-- SQLite's signed INTEGER as the same 64 bits (two's complement).

-- Key/value facts about the run. Keys written by pacollect:
--   format_version  the format version again, for humans
--   tool_version    pacollect's version
--   source          'import' (from --input) or 'live'
--   input           the imported file name ('-' for standard input)
--   created         UTC time the database was written, ISO 8601
--   page_size       bytes per page for analyses (4096)
--   interval_us     tracing interval, when known
--   kernel_release  uname -r of the traced machine, when known
--   command         the traced command line, when live
--   exit_status     the traced command's exit status, when live
--   lines           input lines read
--   events          events stored (sum of chunks.events)
--   malformed_lines lines that could not be parsed (the first ones are in `malformed`)
--   other_lines     lines of other trace events, skipped
--   comment_lines   '#' header lines and empty lines
--   lost_events     sum of lost.count
--   sample_shift    the trace holds the events of 1 page in 2^sample_shift, chosen by
--                   a hash of the virtual page number (kernel/README.md, Sampling); 0:
--                   every page. Absent before format 3 (read as 0)
--   tgid_changes    events whose process is not the one tasks gives their thread (a
--                   thread id reused by another process); when 0, the tasks of a
--                   process span all its events
CREATE TABLE meta (
	key   TEXT PRIMARY KEY NOT NULL,
	value
) WITHOUT ROWID;

-- One row per traced thread (tid). first_ns/last_ns span its events and markers.
CREATE TABLE tasks (
	tid      INTEGER PRIMARY KEY,
	tgid     INTEGER NOT NULL,
	comm     TEXT NOT NULL,
	first_ns INTEGER NOT NULL,
	last_ns  INTEGER NOT NULL,
	events   INTEGER NOT NULL DEFAULT 0
);

-- START and END of tracing of a process, as the kernel reported them.
CREATE TABLE markers (
	id      INTEGER PRIMARY KEY,
	time_ns INTEGER NOT NULL,
	kind    TEXT NOT NULL CHECK (kind IN ('START', 'END')),
	pid     INTEGER NOT NULL,
	ppid    INTEGER,
	comm    TEXT NOT NULL,
	line    INTEGER
);

-- Ring-buffer overruns: `count` events of `cpu` were lost after time_ns (the time of
-- the last line read before the report; NULL if none). This is data loss, not noise.
CREATE TABLE lost (
	id      INTEGER PRIMARY KEY,
	time_ns INTEGER,
	cpu     INTEGER NOT NULL,
	count   INTEGER NOT NULL,
	line    INTEGER
);

-- Mappings of traced processes: 'map' and 'unmap' from the kernel's mapping events,
-- 'snapshot' rows from /proc/PID/maps read at time_ns. pgoff is the file offset of
-- start_addr in bytes, as /proc/PID/maps prints it.
CREATE TABLE maps (
	id         INTEGER PRIMARY KEY,
	time_ns    INTEGER NOT NULL,
	tgid       INTEGER NOT NULL,
	op         TEXT NOT NULL CHECK (op IN ('map', 'unmap', 'snapshot')),
	start_addr INTEGER NOT NULL,
	end_addr   INTEGER NOT NULL,
	prot       TEXT,
	pgoff      INTEGER,
	path       TEXT,
	reason     TEXT
);
CREATE INDEX maps_by_tgid ON maps (tgid, time_ns);

-- The events: column-encoded, zstd-compressed chunks in time order (see schema/chunk.c
-- for the blob layout). Never one row per event. first_ns and last_ns are the earliest
-- and latest time of the chunk's events, and events their number: readers check them
-- against the chunk.
CREATE TABLE chunks (
	id       INTEGER PRIMARY KEY,
	first_ns INTEGER NOT NULL,
	last_ns  INTEGER NOT NULL,
	events   INTEGER NOT NULL CHECK (events > 0),
	data     BLOB NOT NULL
);

-- The first malformed input lines (up to 1000), for `paanalyze info` and debugging.
CREATE TABLE malformed (
	line   INTEGER PRIMARY KEY,
	reason TEXT NOT NULL,
	text   TEXT NOT NULL
);
