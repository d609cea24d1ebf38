# `paanalyze export` loads where people load it: the sqlite3 shell's .import (CSV into
# a typed table, JSON lines through json_extract) and pandas (read_csv, read_json),
# with every row, the types a user expects and the values of the run (counted against
# `paanalyze info --json`, an independent reader).
. "$SRC/tests/cli/lib.sh"

# load DB: checks the export of DB in both tools
load() {
	db=$1
	paanalyze export --csv "$db" > ev.csv
	paanalyze export --jsonl "$db" > ev.jsonl
	paanalyze info --json "$db" > info.json
	events=$(json_get info.json "d['events']")
	writes=$(json_get info.json "d['writes']")
	pages=$(json_get info.json "d['pages']")
	[ "$events" -gt 0 ] || fail "$db has no events: proves nothing"

	# sqlite3: CSV into a table with the types declared, JSON lines one to a row
	# (ASCII mode with a unit separator: JSON's commas and quotes stay as they are)
	rm -f load.db
	sqlite3 -bail load.db \
		"CREATE TABLE csv(time_us REAL, pid INTEGER, tid INTEGER, rw TEXT, ip TEXT,
			addr TEXT, page INTEGER, aux INTEGER, fault TEXT)" \
		".import --csv --skip 1 ev.csv csv" \
		"CREATE TABLE raw(line TEXT)" \
		".mode ascii" ".separator $(printf '\037') \\n" \
		".import ev.jsonl raw" \
		"CREATE TABLE js AS SELECT json_extract(line, '\$.time_us') AS time_us,
			json_extract(line, '\$.pid') AS pid, json_extract(line, '\$.tid') AS tid,
			json_extract(line, '\$.rw') AS rw, json_extract(line, '\$.ip') AS ip,
			json_extract(line, '\$.addr') AS addr, json_extract(line, '\$.page') AS page,
			json_extract(line, '\$.aux') AS aux, json_extract(line, '\$.fault') AS fault
			FROM raw"
	for t in csv js; do
		got=$(sqlite3 load.db "SELECT count(*), sum(rw = 'W'),
			count(DISTINCT pid || ' ' || page) FROM $t")
		[ "$got" = "$events|$writes|$pages" ] ||
			fail "sqlite3 $t: events|writes|pages $got, info says $events|$writes|$pages"
		# the types: SQLite's integers end at 2^63 - 1, so a larger aux is REAL
		bad=$(sqlite3 load.db "SELECT count(*) FROM $t WHERE typeof(time_us) != 'real'
			OR typeof(pid) != 'integer' OR typeof(tid) != 'integer'
			OR typeof(page) != 'integer' OR rw NOT IN ('R', 'W')
			OR fault NOT IN ('reset', 'demand') OR ip NOT LIKE '0x%' OR addr NOT LIKE '0x%'
			OR typeof(aux) != CASE WHEN aux > 9223372036854775807.0 THEN 'real'
				ELSE 'integer' END")
		[ "$bad" -eq 0 ] || fail "sqlite3 $t: $bad rows of the wrong types"
	done
	diff=$(sqlite3 load.db "SELECT count(*) FROM (SELECT * FROM csv EXCEPT SELECT * FROM js)")
	[ "$diff" -eq 0 ] || fail "sqlite3: $diff rows of the CSV are not those of the JSON lines"

	# pandas: the same frame from both formats, with numeric columns numeric
	"$PYTHON" - "$events" "$writes" "$pages" <<'PY' || fail "pandas on $db"
import sys
import pandas as pd
events, writes, pages = map(int, sys.argv[1:])
csv = pd.read_csv('ev.csv')
js = pd.read_json('ev.jsonl', lines=True, dtype=False, convert_dates=False)
for name, df in (('csv', csv), ('jsonl', js)):
    t = {k: str(v) for k, v in df.dtypes.items()}
    want = {'time_us': 'float64', 'pid': 'int64', 'tid': 'int64', 'rw': 'object',
            'ip': 'object', 'addr': 'object', 'page': 'int64', 'fault': 'object'}
    assert list(df.columns) == list(want)[:7] + ['aux', 'fault'], (name, list(df.columns))
    assert {k: t[k] for k in want} == want, (name, t)
    # pandas reads a column with a value past 2^63 - 1 as unsigned
    assert t['aux'] in ('int64', 'uint64'), (name, t['aux'])
    assert len(df) == events, (name, len(df), events)
    assert (df.rw == 'W').sum() == writes, name
    assert df.groupby(['pid', 'page']).ngroups == pages, name
    assert df.ip.str.match(r'0x[0-9a-f]+$').all() and df.addr.str.match(r'0x[0-9a-f]+$').all()
    assert (df.addr.map(lambda a: int(a, 16) >> 12) == df.page).all(), name
pd.testing.assert_frame_equal(csv, js)
# the time keeps its nanoseconds: three decimals as written
text = [line.split(',', 1)[0] for line in open('ev.csv').read().splitlines()[1:]]
assert ['%.3f' % t for t in csv.time_us] == text
PY
}

varied_run thr	# two processes, aux past 2^63, negative times
grep -q 'aux=18446744073709551615' thr.txt || fail "no aux past 2^63 in the trace"
load thr.db
gentrace --pattern random --pages 2000 --events 100000 --seed 9 > rnd.txt
pacollect -q -f --input rnd.txt -o rnd.db
load rnd.db
