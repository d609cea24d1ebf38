# paanalyze wss against window sets computed from the trace text (Python), known answers
# of a sequential scan, Denning's curve against a union of intervals, the filters, the
# interval warning, the JSON schemas, errors.
. "$SRC/tests/cli/lib.sh"

# model.py TRACE [--window D] [--curve 1] [--pid P] [--tid T] [--rw r|w] [--from D] [--to D]
#          [--page-shift S]
cat > model.py <<'PY'
import json, os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['SRC'] + '/tests/cli')
import tracetext as tt
opt, events, ops, t0, sel = tt.load(sys.argv[1:])
W = tt.dur(opt.get('--window', '10ms'))
shift = int(opt.get('--page-shift', 12))
sel = [(e.t, (e.tgid, e.addr >> shift), e.rw) for e in sel]

if '--curve' in opt:
    curve = []
    if sel:
        first, last = sel[0][0], sel[-1][0]
        span = last - first
        refs = {}
        for t, p, rw in sel:
            refs.setdefault(p, []).append(t)
        j = 0
        while True:
            T = 1000 << j
            total = 0
            for ts in refs.values():
                # measure of the union of [r, r + T) within [first, last]
                end = None
                for r in sorted(ts):
                    a, b = r, min(r + T, last)
                    if end is not None and a < end:
                        a = end
                    if b > a:
                        total += b - a
                        end = b
                    elif end is None or b > end:
                        end = max(end or b, b)
            curve.append({'window_us': 1 << j,
                          'mean_pages': total / span if span else float(len(refs))})
            if T >= span:
                break
            j += 1
    print(json.dumps({'curve': curve}))
    sys.exit(0)

wins = {}
for t, p, rw in sel:
    k = (t - t0) // W
    w = wins.setdefault(k, (set(), set(), set()))
    w[0].add(p)
    (w[2] if rw == 'W' else w[1]).add(p)
out = []
if sel:
    k0 = (tt.dur(opt['--from']) // W) if '--from' in opt else 0
    for k in range(min(k0, min(wins)), max(wins) + 1):
        w = wins.get(k, (set(), set(), set()))
        out.append({'start_us': k * W / 1000, 'pages': len(w[0]), 'read_pages': len(w[1]),
                    'write_pages': len(w[2])})
v = sorted(w['pages'] for w in out)
def rank(p):
    r = (p * len(v) + 99) // 100
    return v[max(r, 1) - 1]
summary = {'min': v[0], 'max': v[-1], 'mean': sum(v) / len(v), 'p50': rank(50),
           'p90': rank(90), 'p99': rank(99)} if v else \
          {'min': 0, 'max': 0, 'mean': 0, 'p50': 0, 'p90': 0, 'p99': 0}
print(json.dumps({'window_us': W / 1000, 'page_size': 4096, 'windows': out,
                  'summary': summary}))
PY

# same.py WANT GOT: equal, numbers within a relative 1e-9
cat > same.py <<'PY'
import json, sys
def same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1, abs(a))
    return a == b
want, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if not same(want, got):
    print('want', json.dumps(want)[:1500])
    print('got ', json.dumps(got)[:1500])
    sys.exit(1)
PY

validate() {	# validate FILE SCHEMA
	"$PYTHON" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[1])), schema)' "$1" "$SRC/schema/json/$2" ||
		fail "$1 does not match $2"
}

check() {	# check TRACE DB [ARGS]: wss --json equals the model
	trace=$1 db=$2
	shift 2
	"$PYTHON" model.py "$trace" "$@" > want.json
	paanalyze wss --json "$@" "$db" > got.json
	validate got.json wss.schema.json
	"$PYTHON" same.py want.json got.json || fail "wss $* on $trace differs from the model"
}

check_curve() {	# check_curve TRACE DB [FILTER ARGS]
	trace=$1 db=$2
	shift 2
	"$PYTHON" model.py "$trace" --curve 1 "$@" > want.json
	paanalyze wss --curve --json "$@" "$db" > got.json
	validate got.json wss-curve.schema.json
	"$PYTHON" same.py want.json got.json || fail "wss --curve $* on $trace differs from the model"
}

# random accesses 3 us apart, two processes with the same addresses, two threads
gentrace --pattern random --pages 300 --events 8000 --step-us 3 --seed 4 > rnd1.txt
awk '/handle_mm_fault/ && NR % 3 == 0 { gsub(/4242/, "5151") }
     /handle_mm_fault/ && NR % 5 == 0 { sub(/: 4242 /, ": 4243 "); sub(/-4242 /, "-4243 ") }
     { print }' rnd1.txt > rnd.txt
grep -q 'tgid=5151' rnd.txt || fail "awk did not make a second process"
pacollect -q -f --input rnd.txt -o rnd.db
check rnd.txt rnd.db
check rnd.txt rnd.db --window 250us
check rnd.txt rnd.db --window 1ms --pid 5151
check rnd.txt rnd.db --window 1ms --tid 4243
check rnd.txt rnd.db --window 700us --rw w
check rnd.txt rnd.db --window 100us --from 2ms --to 9ms
check_curve rnd.txt rnd.db
check_curve rnd.txt rnd.db --pid 4242 --rw r
# filters must change the answer
paanalyze wss --json --window 1ms rnd.db > all.json
paanalyze wss --json --window 1ms --rw w rnd.db > w.json
[ "$(json_get w.json 'sum(x["read_pages"] for x in d["windows"])')" = 0 ] || fail "--rw w left reads"
[ "$(json_get all.json 'd["summary"]["max"]')" -gt "$(json_get w.json 'd["summary"]["max"]')" ] ||
	fail "--rw w did not narrow"
paanalyze wss --json --window 100us --from 2ms rnd.db > from.json
[ "$(json_get from.json 'd["windows"][0]["start_us"]')" = 2000 ] || fail "--from: first window"

# known answer: a scan over N = 50 pages, 6 passes, 1 us apart: a 50 us window covers
# exactly one pass, so every window holds the 50 pages; pass 0 writes, the others read
gentrace --pattern seq --pages 50 --passes 6 > seq.txt
pacollect -q -f --input seq.txt -o seq.db
paanalyze wss --json --window 50us seq.db > seq.json
validate seq.json wss.schema.json
[ "$(json_get seq.json '[(w["start_us"], w["pages"], w["read_pages"], w["write_pages"]) for w in d["windows"]]')" = \
	"[(0, 50, 0, 50), (50, 50, 50, 0), (100, 50, 50, 0), (150, 50, 50, 0), (200, 50, 50, 0), (250, 50, 50, 0)]" ] ||
	fail "seq windows: $(cat seq.json)"
[ "$(json_get seq.json 'd["summary"]')" = "{'min': 50, 'max': 50, 'mean': 50.0, 'p50': 50, 'p90': 50, 'p99': 50}" ] ||
	fail "seq summary: $(json_get seq.json 'd["summary"]')"
check seq.txt seq.db --window 50us
check seq.txt seq.db --window 7us
check_curve seq.txt seq.db
# a long window holds everything: one window of 50 pages
paanalyze wss --json seq.db > seq.json
[ "$(json_get seq.json '[(w["start_us"], w["pages"]) for w in d["windows"]]')" = "[(0, 50)]" ] ||
	fail "seq, default window: $(cat seq.json)"

# --curve keys page p as 2p in its page table: pages at both ends of the address space,
# against the model
cat > ends.txt <<'EOF'
 app-7 [000] .... 100.000000: handle_mm_fault: 7 R 401000 0 tgid=7
 app-7 [000] .... 100.000100: handle_mm_fault: 7 R 401000 fffffffffffff000 tgid=7
 app-7 [000] .... 100.000300: handle_mm_fault: 7 W 401000 fff tgid=7
 app-7 [000] .... 100.000400: handle_mm_fault: 7 R 401000 ffffffffffffffff tgid=7
 app-7 [000] .... 100.000900: handle_mm_fault: 7 R 401000 1000 tgid=7
EOF
pacollect -q -f --input ends.txt -o ends.db
check_curve ends.txt ends.db
paanalyze wss --curve ends.db > ends.table
grep -q '(3 distinct pages)' ends.table || fail "pages at the ends: $(cat ends.table)"
# 8 KiB pages: the key 2p of page p comes from the address's bit 12 on, with that bit
# cleared; against the model with the same pages
cp ends.db ends8k.db
sqlite3 ends8k.db "INSERT OR REPLACE INTO meta (key, value) VALUES ('page_size', 8192)"
"$PYTHON" model.py ends.txt --curve 1 --page-shift 13 > want.json
paanalyze wss --curve --json ends8k.db > got.json
"$PYTHON" same.py want.json got.json || fail "wss --curve with 8 KiB pages differs from the model"
# 1-byte pages: every address is a page of its own, the ends of the address space too
cp ends.db ends1.db
sqlite3 ends1.db "INSERT OR REPLACE INTO meta (key, value) VALUES ('page_size', 1)"
"$PYTHON" model.py ends.txt --curve 1 --page-shift 0 > want.json
paanalyze wss --curve --json ends1.db > got.json
"$PYTHON" same.py want.json got.json || fail "wss --curve with 1-byte pages differs from the model"

# windows without events are listed with zeros: a pause of 100 us in the middle
awk '/handle_mm_fault/ { n++ } n > 100 && /[0-9]+\.[0-9]+: / {
	match($0, /[0-9]+\.[0-9]+: /); t = substr($0, RSTART, RLENGTH - 2) + 0.0001
	$0 = substr($0, 1, RSTART - 1) sprintf("%.6f", t) substr($0, RSTART + RLENGTH - 2) }
	{ print }' seq.txt > gap.txt
pacollect -q -f --input gap.txt -o gap.db
check gap.txt gap.db --window 20us
paanalyze wss --json --window 20us gap.db > gap.json
[ "$(json_get gap.json 'sum(1 for w in d["windows"] if w["pages"] == 0)')" -ge 4 ] ||
	fail "empty windows missing: $(cat gap.json)"

# events before the first START marker: negative windows
sed '/START/s/100\.000000/100.000040/' seq.txt > late.txt
pacollect -q -f --input late.txt -o late.db
check late.txt late.db --window 15us
paanalyze wss --json --window 15us late.db > late.json
[ "$(json_get late.json 'd["windows"][0]["start_us"]')" = -45 ] || fail "negative window start"

# the table for people
paanalyze wss --window 50us seq.db > table
grep -q 'pages per window: min 50, max 50, mean 50.00' table || fail "table: $(cat table)"

# a window shorter than the tracing interval of the run: a warning, still an answer
sqlite3 seq.db "INSERT OR REPLACE INTO meta (key, value) VALUES ('interval_us', 1000)"
expect_exit 0 paanalyze wss --window 500us seq.db
grep -q 'warning.*interval' err || fail "no warning for a short window: $(cat err)"
expect_exit 0 paanalyze wss --window 1ms seq.db
[ ! -s err ] || fail "warning for a window as long as the interval: $(cat err)"

# usage errors: exit 2 with one line; a missing database: exit 1 naming it
for bad in 0ms 10 abc -5ms 1.5x ''; do
	expect_exit 2 paanalyze wss --window "$bad" seq.db
	[ "$(wc -l < err)" -eq 1 ] && grep -q -- '--window' err || fail "--window '$bad': $(cat err)"
done
expect_exit 2 paanalyze wss --bogus seq.db
[ "$(wc -l < err)" -eq 1 ] && grep -q 'unknown option --bogus' err || fail "unknown option: $(cat err)"
expect_exit 2 paanalyze wss --from 5ms --to 1ms seq.db
expect_exit 2 paanalyze wss --curve --window 1ms seq.db
grep -q -- '--curve' err || fail "--curve with --window: $(cat err)"
expect_exit 1 paanalyze wss nothere.db
grep -q 'nothere.db' err || fail "missing db: $(cat err)"
