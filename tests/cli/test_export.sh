# paanalyze export: every event of the trace text comes out unchanged and in order, as
# CSV and as JSON lines; the filters; write errors; usage errors.
. "$SRC/tests/cli/lib.sh"

# model.py TRACE [--pid P] [--tid T] [--rw r|w] [--from D] [--to D]: the expected rows
# (time_us with 3 decimals from the run start, pid, tid, rw, ip, addr, page, aux, fault)
cat > model.py <<'PY'
import json, os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['SRC'] + '/tests/cli')
import tracetext as tt
opt, events, ops, t0, sel = tt.load(sys.argv[1:])
for e in sel:
    d = e.t - t0
    us = ('-' if d < 0 else '') + '%d.%03d' % (abs(d) // 1000, abs(d) % 1000)
    print(us, e.tgid, e.tid, e.rw, e.ip, e.addr, e.addr >> 12, e.aux, e.fault)
PY

# rows.py FILE csv|jsonl: the same rows read back from the export, with a strict check
# of the format (header, types, hex strings)
cat > rows.py <<'PY'
import csv, json, re, sys
path, fmt = sys.argv[1], sys.argv[2]
keys = ['time_us', 'pid', 'tid', 'rw', 'ip', 'addr', 'page', 'aux', 'fault']
hexre = re.compile(r'0x[0-9a-f]+$')
timere = re.compile(r'-?\d+\.\d{3}$')
def emit(r, time_text):
    assert timere.match(time_text), time_text
    assert hexre.match(r['ip']) and hexre.match(r['addr']), r
    assert r['rw'] in ('R', 'W') and r['fault'] in ('reset', 'demand'), r
    print(time_text, r['pid'], r['tid'], r['rw'], int(r['ip'], 16), int(r['addr'], 16),
          r['page'], r['aux'], r['fault'])
if fmt == 'csv':
    with open(path, newline='') as f:
        rd = csv.reader(f)
        assert next(rd) == keys, 'header'
        for row in rd:
            assert len(row) == len(keys), row
            emit(dict(zip(keys, row)), row[0])
else:
    for line in open(path):
        # the time must be written as a decimal with 3 digits: read it as text
        m = re.match(r'\{"time_us":(-?[0-9.]+),', line)
        assert m, line
        r = json.loads(line)
        assert list(r) == keys, list(r)
        assert all(isinstance(r[k], int) for k in ('pid', 'tid', 'page', 'aux')), r
        emit(r, m.group(1))
PY

check() {	# check TRACE DB [FILTER ARGS]: both formats give the model's rows
	trace=$1 db=$2
	shift 2
	"$PYTHON" model.py "$trace" "$@" > want
	[ -s want ] || fail "no events selected by $*: the check would prove nothing"
	for fmt in csv jsonl; do
		paanalyze export "--$fmt" "$@" "$db" > out.$fmt
		"$PYTHON" rows.py out.$fmt $fmt > got || fail "export --$fmt $*: bad format"
		cmp -s want got || {
			diff want got | head -5
			fail "export --$fmt $* on $trace differs from the trace text"
		}
	done
}

# threads, two processes, aux values, large addresses, demand and reset faults,
# events before the START marker (negative times), nanosecond-free and odd timestamps
varied_run thr
check thr.txt thr.db
check thr.txt thr.db --pid 777
check thr.txt thr.db --tid 4243
check thr.txt thr.db --rw w
check thr.txt thr.db --from 20us --to 150us

gentrace --pattern random --pages 5000 --events 30000 --seed 2 > rnd.txt
pacollect -q -f --input rnd.txt -o rnd.db
check rnd.txt rnd.db
[ "$(wc -l < out.csv)" -eq 30001 ] || fail "csv rows"

# -o FILE holds exactly what standard output gets, and replaces FILE whole
paanalyze export --jsonl rnd.db > want.jsonl
echo old > got.jsonl
paanalyze export --jsonl -o got.jsonl rnd.db || fail "export -o"
cmp -s want.jsonl got.jsonl || fail "export -o differs from standard output"
paanalyze export --csv --output=got.csv rnd.db && cmp -s out.csv got.csv || fail "export --output= csv"

# a full disk is an error, reported once: exit 1
expect_exit 1 sh -c 'paanalyze export --csv rnd.db > /dev/full'
[ "$(wc -l < err)" -eq 1 ] && grep -q 'cannot write standard output: No space left on device' err || fail "/dev/full: $(cat err)"

# usage errors: exit 2 with one line; a missing database: exit 1 naming it
expect_exit 2 paanalyze export rnd.db
grep -q 'choose the output format' err || fail "no format: $(cat err)"
expect_exit 2 paanalyze export --csv --jsonl rnd.db
expect_exit 2 paanalyze export --json rnd.db
expect_exit 2 paanalyze export --csv --bogus rnd.db
[ "$(wc -l < err)" -eq 1 ] && grep -q 'unknown option --bogus' err || fail "unknown option: $(cat err)"
expect_exit 1 paanalyze export --csv nothere.db
grep -q 'nothere.db' err || fail "missing db: $(cat err)"
