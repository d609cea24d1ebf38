# paanalyze reuse against a brute-force LRU stack over the trace text (Python), known
# answers of a sequential scan, the filters, SHARDS sampling, the JSON schema, errors.
. "$SRC/tests/cli/lib.sh"

# model.py TRACE [--pid P] [--tid T] [--rw r|w] [--from D] [--to D]: reuse --json,
# computed from the text alone with an O(N*M) LRU stack.
cat > model.py <<'PY'
import json, os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['SRC'] + '/tests/cli')
import tracetext as tt
opt, events, ops, t0, sel = tt.load(sys.argv[1:])
sel = [(e.tgid, e.addr >> 12) for e in sel]

stack, dists = [], []
for p in sel:
    if p in stack:
        i = stack.index(p)
        dists.append(i)
        del stack[i]
    else:
        dists.append(None)
    stack.insert(0, p)
cold = dists.count(None)
buckets = {}
for d in dists:
    if d is not None:
        b = d.bit_length()
        buckets[b] = buckets.get(b, 0) + 1
hist = [{'min': 0 if b == 0 else 1 << (b - 1), 'max': 0 if b == 0 else (1 << b) - 1,
         'count': buckets[b]} for b in sorted(buckets)]
M, N = len(stack), len(dists)
caps, c = [], 1
while M and c < M:
    caps.append(c)
    c *= 2
if M:
    caps.append(M)
mrc = [{'pages': c, 'miss_ratio': sum(1 for d in dists if d is None or d >= c) / N}
       for c in caps]
print(json.dumps({'accesses': N, 'cold': cold, 'pages': M, 'histogram': hist, 'mrc': mrc},
                 sort_keys=True))
PY

# same.py MODEL GOT: equal, miss ratios within 1e-12
cat > same.py <<'PY'
import json, sys
want, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for m in want['mrc'] + got['mrc']:
    m['miss_ratio'] = round(m['miss_ratio'], 12)
if want != got:
    print('want', json.dumps(want, sort_keys=True)[:1500])
    print('got ', json.dumps(got, sort_keys=True)[:1500])
    sys.exit(1)
PY

validate() {
	"$PYTHON" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[1])), schema)' "$1" "$SRC/schema/json/reuse.schema.json" ||
		fail "$1 does not match reuse.schema.json"
}

check() {	# check TRACE DB [FILTER ARGS]: reuse --json equals the model
	trace=$1 db=$2
	shift 2
	"$PYTHON" model.py "$trace" "$@" > want.json
	paanalyze reuse --json "$@" "$db" > got.json
	validate got.json
	"$PYTHON" same.py want.json got.json || fail "reuse $* on $trace differs from the model"
}

# random accesses over few pages, two processes interleaved (same addresses, other
# pages), two threads in one of them
gentrace --pattern random --pages 150 --events 6000 --seed 5 > rnd1.txt
awk '/handle_mm_fault/ && NR % 3 == 0 { gsub(/4242/, "5151") }
     /handle_mm_fault/ && NR % 5 == 0 { sub(/: 4242 /, ": 4243 "); sub(/-4242 /, "-4243 ") }
     { print }' rnd1.txt > rnd.txt
grep -q 'handle_mm_fault: 5151 .* tgid=5151' rnd.txt || fail "awk did not make a second process"
grep -q 'handle_mm_fault: 4243 .* tgid=4242' rnd.txt || fail "awk did not make a second thread"
pacollect -q -f --input rnd.txt -o rnd.db
check rnd.txt rnd.db
check rnd.txt rnd.db --pid 5151
check rnd.txt rnd.db --tid 4243
check rnd.txt rnd.db --rw w
check rnd.txt rnd.db --from 1ms --to 3500us
# the filters must change the answer (else the checks above prove little)
paanalyze reuse --json rnd.db > all.json
paanalyze reuse --json --pid 5151 rnd.db > pid.json
[ "$(json_get all.json 'd["accesses"]')" = 6000 ] || fail "accesses of all"
[ "$(json_get pid.json 'd["accesses"]')" -lt 3000 ] || fail "--pid did not narrow"

# more pages than the first time axis and pair table hold: growth and compaction
gentrace --pattern hotcold --pages 3000 --events 12000 --seed 9 > hc.txt
pacollect -q -f --input hc.txt -o hc.db
check hc.txt hc.db

# known answer: a sequential scan over N = 100 pages, k = 4 passes
gentrace --pattern seq --pages 100 --passes 4 > seq.txt
pacollect -q -f --input seq.txt -o seq.db
paanalyze reuse --json seq.db > seq.json
validate seq.json
[ "$(json_get seq.json '(d["accesses"], d["cold"], d["pages"])')" = "(400, 100, 100)" ] ||
	fail "seq: counts $(cat seq.json)"
[ "$(json_get seq.json 'd["histogram"]')" = "[{'min': 64, 'max': 127, 'count': 300}]" ] ||
	fail "seq: every re-access is at distance 99: $(json_get seq.json 'd["histogram"]')"
[ "$(json_get seq.json '[(m["pages"], m["miss_ratio"]) for m in d["mrc"]]')" = \
	"[(1, 1.0), (2, 1.0), (4, 1.0), (8, 1.0), (16, 1.0), (32, 1.0), (64, 1.0), (100, 0.25)]" ] ||
	fail "seq: miss-ratio curve $(json_get seq.json 'd["mrc"]')"
check seq.txt seq.db

# the table for people
paanalyze reuse seq.db > table
grep -q '^accesses *400 (100 cold, 100 distinct pages)' table || fail "table: $(cat table)"
grep -q '^64-127 *300 ' table || fail "table histogram: $(cat table)"

# SHARDS sampling: close to the exact curve on uniform accesses over 20000 pages
gentrace --pattern random --pages 20000 --events 200000 --seed 11 > big.txt
pacollect -q -f --input big.txt -o big.db
paanalyze reuse --json big.db > exact.json
paanalyze reuse --json --sample 0.1 big.db > sampled.json
validate sampled.json
"$PYTHON" - <<'PY' || fail "sampled curve too far from the exact one"
import json
e, s = json.load(open('exact.json')), json.load(open('sampled.json'))
assert 'sampled' in s and abs(s['sampled'] - 0.1) < 1e-6, s.get('sampled')
assert 'sampled' not in e
assert s['accesses'] == e['accesses'] == 200000
assert abs(s['pages'] - e['pages']) < 0.1 * e['pages'], (s['pages'], e['pages'])
exact = {m['pages']: m['miss_ratio'] for m in e['mrc']}
worst = 0
for m in s['mrc']:
    c = m['pages']
    if c in exact:
        worst = max(worst, abs(exact[c] - m['miss_ratio']))
assert worst < 0.05, worst
# and it is not the exact answer in disguise
assert s['histogram'] != e['histogram']
PY
# rate 1 is exact
paanalyze reuse --json --sample 1 seq.db > s1.json
[ "$(json_get s1.json '(d["histogram"], d["sampled"])')" = "([{'min': 64, 'max': 127, 'count': 300}], 1.0)" ] ||
	fail "--sample 1 differs from exact"

# usage errors: exit 2, one line naming the problem; a missing database: exit 1
for bad in 0 1.5 -0.1 abc 0.5x ''; do
	expect_exit 2 paanalyze reuse --sample "$bad" seq.db
	[ "$(wc -l < err)" -eq 1 ] && grep -q -- '--sample' err || fail "--sample '$bad': $(cat err)"
done
expect_exit 2 paanalyze reuse --bogus seq.db
[ "$(wc -l < err)" -eq 1 ] && grep -q 'unknown option --bogus' err || fail "unknown option: $(cat err)"
expect_exit 2 paanalyze reuse --rw x seq.db
expect_exit 1 paanalyze reuse nothere.db
grep -q 'nothere.db' err || fail "missing db: $(cat err)"
expect_exit 0 paanalyze reuse --help
grep -q 'SHARDS' out || fail "help does not document --sample"
