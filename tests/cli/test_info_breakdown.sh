# paanalyze info: per-thread and per-mapping breakdowns against a model of the trace text
# (Python): each event belongs to the latest mapping event covering its address at its
# time (an unmap makes it "unknown"); the filters; the old keys; the JSON schema.
. "$SRC/tests/cli/lib.sh"

# model.py TRACE [--pid P] [--tid T] [--rw r|w]: {"tasks_detail": ..., "mappings": ...}
cat > model.py <<'PY'
import json, os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['SRC'] + '/tests/cli')
import tracetext as tt
opt, events, ops, t0, sel = tt.load(sys.argv[1:])
comm = {}
for e in events:
    comm.setdefault(e.tid, e.comm)
tasks, maps = {}, {}
for t, tgid, tid, addr in ((e.t, e.tgid, e.tid, e.addr) for e in sel):
    page = addr >> 12
    label = 'unknown'
    for ot, opid, s, e, lab in reversed(ops):   # the latest op covering addr decides
        if ot <= t and opid == tgid and s <= addr < e:
            label = lab or 'unknown'
            break
    tk = tasks.setdefault(tid, [tgid, 0, set()])
    tk[1] += 1
    tk[2].add(page)
    mp = maps.setdefault((tgid, label), [0, set()])
    mp[0] += 1
    mp[1].add(page)
td = [{'tid': tid, 'tgid': v[0], 'comm': comm[tid], 'events': v[1], 'pages': len(v[2])}
      for tid, v in tasks.items()]
td.sort(key=lambda r: (-r['events'], r['tid']))
mp = [{'tgid': k[0], 'mapping': k[1], 'events': v[0], 'pages': len(v[1])}
      for k, v in maps.items()]
mp.sort(key=lambda r: (-r['events'], r['tgid'], r['mapping']))
print(json.dumps({'tasks_detail': td, 'mappings': mp}, sort_keys=True))
PY

check() {	# check TRACE DB [FILTER ARGS]
	trace=$1 db=$2
	shift 2
	"$PYTHON" model.py "$trace" "$@" > want.json
	paanalyze info --json "$@" "$db" > info.json
	"$PYTHON" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
d = json.load(open(sys.argv[1]))
jsonschema.validate(d, schema)
json.dump({"tasks_detail": d["tasks_detail"], "mappings": d["mappings"]}, sys.stdout,
          sort_keys=True)' info.json "$SRC/schema/json/info.schema.json" > got.json ||
		fail "info.json does not match info.schema.json"
	"$PYTHON" -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if a != b:
    print("want", a); print("got ", b); sys.exit(1)' want.json got.json ||
		fail "info $* on $trace: breakdowns differ from the model"
}

# 4 threads of one process over 600 pages at 0x7f1234000000 (pages 0..599), a second
# process made by awk, and mapping events: a file over pages 0-255, the heap (brk) over
# 256-511, nothing over 512-599; halfway, pages 0-127 are unmapped and a file whose name
# holds spaces replaces the heap over 384-511.
gentrace --pattern threads --pages 150 --passes 3 --threads 4 > thr.txt
gentrace --pattern random --pages 600 --events 6000 --seed 8 > rnd.txt
for src in thr rnd; do
	awk -v src=$src '
	function ts(line) { match(line, /[0-9]+\.[0-9]+: /); return substr(line, RSTART, RLENGTH - 2) }
	function op(t, rest) { printf "       gentrace-4242  [002] .....  %s: %s\n", t, rest }
	/handle_mm_fault/ {
		n++
		if (n == 1) {
			op(ts($0), "page_access_mmap: pid=4242 start=7f1234000000 end=7f1234100000 prot=r-xp pgoff=0 reason=exec path=/usr/lib/liba.so")
			op(ts($0), "page_access_mmap: pid=4242 start=7f1234100000 end=7f1234200000 prot=rw-p pgoff=0 reason=brk path=")
			op(ts($0), "page_access_mmap: pid=4242 start=7f1234250000 end=7f1234251000 prot=rw-p pgoff=0 reason=mmap path=")
		}
		if (n == 1000) {
			op(ts($0), "page_access_munmap: pid=4242 start=7f1234000000 end=7f1234080000")
			op(ts($0), "page_access_mmap: pid=4242 start=7f1234180000 end=7f1234200000 prot=rw-s pgoff=10 reason=mmap path=/data/a file with spaces")
		}
		if (n % 3 == 0) gsub(/4242/, "5151")
		# a second thread sharing the pages of the first
		else if (n % 5 == 0) { sub(/: 4242 /, ": 4243 "); sub(/-4242 /, "-4243 ") }
	}
	{ print }' $src.txt > $src-maps.txt
done
grep -q 'page_access_munmap' rnd-maps.txt && grep -q 'tgid=5151' rnd-maps.txt &&
	grep -q 'handle_mm_fault: 4243 .* tgid=4242' rnd-maps.txt ||
	fail "awk did not add the mapping events"
for src in thr rnd; do
	pacollect -q -f --input $src-maps.txt -o $src.db
	[ "$(sqlite3 $src.db 'SELECT count(*) FROM maps')" = 5 ] || fail "$src: maps rows"
	check $src-maps.txt $src.db
	check $src-maps.txt $src.db --pid 4242
	check $src-maps.txt $src.db --rw w
done
check thr-maps.txt thr.db --tid 4244
check rnd-maps.txt rnd.db --tid 4243

# every kind of attribution happened, so the checks above mean something
paanalyze info --json rnd.db > info.json
[ "$(json_get info.json 'sorted(set((m["tgid"], m["mapping"]) for m in d["mappings"]))')" = \
	"[(4242, '/data/a file with spaces'), (4242, '/usr/lib/liba.so'), (4242, '[anon]'), (4242, '[heap]'), (4242, 'unknown'), (5151, 'unknown')]" ] ||
	fail "mappings seen: $(json_get info.json 'd["mappings"]')"
[ "$(json_get info.json 'sum(m["events"] for m in d["mappings"]) == d["events"] == sum(t["events"] for t in d["tasks_detail"])')" = True ] ||
	fail "breakdowns do not add up to the events"
# the old keys are unchanged
[ "$(json_get info.json '(d["events"], d["processes"], d["page_size"])')" = "(6000, 2, 4096)" ] ||
	fail "old keys"

# without mapping events everything is "unknown", per process
pacollect -q -f --input rnd.txt -o plain.db
check rnd.txt plain.db
paanalyze info --json plain.db > info.json
[ "$(json_get info.json '[(m["mapping"], m["events"]) for m in d["mappings"]]')" = "[('unknown', 6000)]" ] ||
	fail "no maps: $(json_get info.json 'd["mappings"]')"

# the table for people shows both breakdowns
paanalyze info rnd.db > table
grep -q '^ *4242 .*gentrace' table || fail "table: no thread rows: $(cat table)"
grep -q '/data/a file with spaces$' table || fail "table: no mapping rows: $(cat table)"
