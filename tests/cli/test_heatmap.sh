# paanalyze heatmap: counts per (process, ip) and per bin against an independent model
# of the trace text (Python), ordering, --top, --bins, --by page, filters, the JSON
# schema, bad flags. Symbolization is tested in test_heatmap_symbols.sh.
. "$SRC/tests/cli/lib.sh"

# model.py TRACE ARGS...: what heatmap --json must say, computed from the text alone.
cat > model.py <<'EOF'
import json, re, sys

def dur(s):
    m = re.fullmatch(r'([0-9.]+)(ns|us|ms|s)', s)
    return round(float(m.group(1)) * {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}[m.group(2)])

trace, args = sys.argv[1], sys.argv[2:]
opt = {'bins': 100, 'top': 50, 'by': 'time'}
i = 0
while i < len(args):
    opt[args[i].lstrip('-')] = args[i + 1]
    i += 2
B, K = int(opt['bins']), int(opt['top'])

hdr = re.compile(r'\s(\d+)\.(\d+): (\w+): (.*)$')
events, starts = [], []
for line in open(trace):
    m = hdr.search(line)
    if not m:
        continue
    t = int(m.group(1)) * 10**9 + int(m.group(2).ljust(9, '0'))
    kind, rest = m.group(3), m.group(4).split()
    if kind == 'init_page_access_trace':
        starts.append(t)
    elif kind == 'handle_mm_fault':
        tid, rw, ip, addr = int(rest[0]), rest[1], int(rest[2], 16), int(rest[3], 16)
        tgid = tid
        for f in rest[4:]:
            if f.startswith('tgid='):
                tgid = int(f[5:])
        events.append((t, tgid, tid, rw, ip, addr))

t0 = min(starts) if starts else (events[0][0] if events else 0)
lo = t0 + dur(opt['from']) if 'from' in opt else None
hi = t0 + dur(opt['to']) if 'to' in opt else None
sel = [e for e in events
       if ('pid' not in opt or e[1] == int(opt['pid']))
       and ('tid' not in opt or e[2] == int(opt['tid']))
       and ('rw' not in opt or e[3] == opt['rw'].upper())
       and (lo is None or e[0] >= lo) and (hi is None or e[0] < hi)
       and ('addr' not in opt or int(opt['addr'].split('-')[0], 16) <= e[5] <
            int(opt['addr'].split('-')[1], 16))]

if opt['by'] == 'time':
    # the span is the run's (all processes), cut by --from/--to only
    inwin = [e[0] for e in events if (lo is None or e[0] >= lo) and (hi is None or e[0] < hi)]
    start = lo if lo is not None else (min(e[0] for e in events) if events else t0)
    end = hi if hi is not None else (max(inwin) + 1 if inwin else start)
    if end <= start:
        end = start + 1
    width = -(-(end - start) // B)
    key = lambda e: e[0]
    def us(ns):
        return ns // 1000 if ns % 1000 == 0 else ns / 1000
    bins = {'count': B, 'start_us': us(start - t0), 'width_us': us(width) if sel else 0}
else:
    pages = [e[5] >> 12 for e in sel]
    if 'addr' in opt:   # the pages of the range asked for
        pages = [int(x, 16) >> 12 for x in opt['addr'].split('-')]
        pages[1] = (int(opt['addr'].split('-')[1], 16) - 1) >> 12
    start = min(pages) if pages else 0
    width = (max(pages) - start) // B + 1 if pages else 1
    key = lambda e: e[5] >> 12
    bins = {'count': B, 'start_page': start, 'width_pages': width if sel else 0,
            'page_size': 4096}

rows = {}
for e in sel:
    r = rows.setdefault((e[1], e[4]), {'pid': e[1], 'ip': e[4], 'total': 0, 'reads': 0,
                                       'writes': 0, 'counts': [0] * B})
    r['total'] += 1
    r['writes' if e[3] == 'W' else 'reads'] += 1
    r['counts'][(key(e) - start) // width] += 1
out = sorted(rows.values(), key=lambda r: (-r['total'], r['ip'], r['pid']))
if K:
    out = out[:K]
for r in out:
    r['ip'] = hex(r['ip'])
    r['symbol'] = r['source'] = None
print(json.dumps({'by': opt['by'], 'events': len(sel), 'rows': len(rows), 'bins': bins,
                  'ips': out}, sort_keys=True))
EOF

cat > same.py <<'EOF'
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if got != want:
    for k in want:
        if got.get(k) != want[k] and k != 'ips':
            print('%s: got %r, want %r' % (k, got.get(k), want[k]))
    for i, (g, w) in enumerate(zip(got['ips'], want['ips'])):
        if g != w:
            print('row %d: got %r\n        want %r' % (i, g, w))
            break
    if len(got['ips']) != len(want['ips']):
        print('%d rows, want %d' % (len(got['ips']), len(want['ips'])))
    sys.exit(1)
EOF

cat > valid.py <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), schema, cls=jsonschema.Draft7Validator)
EOF

n=0
check() {	# check TRACE DB ARGS...: heatmap --json ARGS equals the model, and is valid
	trace=$1 db=$2
	shift 2
	n=$((n + 1))
	paanalyze heatmap --json "$db" "$@" > got$n.json || fail "heatmap $* failed"
	"$PYTHON" model.py "$trace" "$@" > want$n.json
	"$PYTHON" same.py got$n.json want$n.json || fail "$trace: heatmap $* differs from the model"
	"$PYTHON" valid.py "$SRC/schema/json/heatmap.schema.json" got$n.json ||
		fail "heatmap $* output fails the schema"
}

# gentrace random: 8 ips (0x401100 + 4k), R/W at random, 1 us apart
gentrace --pattern random --pages 300 --events 20000 --seed 5 > rnd.txt
pacollect -q --input rnd.txt -o rnd.db
check rnd.txt rnd.db
check rnd.txt rnd.db --bins 7
check rnd.txt rnd.db --bins 1 --top 3
check rnd.txt rnd.db --bins 13 --by page
check rnd.txt rnd.db --rw w --bins 9
check rnd.txt rnd.db --from 2.5ms --to 13001us --bins 11
check rnd.txt rnd.db --from 2.5ms --bins 10 --by page
check rnd.txt rnd.db --to 7ms --bins 3
check rnd.txt rnd.db --from 1s --bins 4
check rnd.txt rnd.db --bins 100000 --top 1
check rnd.txt rnd.db --addr 7f1234010000-7f1234080000 --bins 6
check rnd.txt rnd.db --addr 0x7f1234010000-0x7f1234080000 --by page --bins 6
check rnd.txt rnd.db --addr 0x7f1234010000-0x7f1234010001 --by page --bins 3
check rnd.txt rnd.db --addr 7f1233fff800-7f1234100001 --by page --bins 7
[ "$(json_get got1.json 'len(d["ips"])')" = 8 ] || fail "random: not 8 ips"
[ "$(json_get got1.json 'd["ips"][0]["total"] >= d["ips"][7]["total"]')" = True ] ||
	fail "random: rows not by total"

# threads: 4 threads of one process, an ip each; --tid and --pid
gentrace --pattern threads --pages 40 --passes 3 --threads 4 > thr.txt
pacollect -q --input thr.txt -o thr.db
check thr.txt thr.db --bins 6
check thr.txt thr.db --tid 4243 --bins 5
check thr.txt thr.db --pid 4242 --by page --bins 8
check thr.txt thr.db --pid 999

# two processes using the same ips, ties in totals: rows are (pid, ip), ties go by ip
# as a number (0x40 < 0x500 < 0x3000, unlike as strings), then by pid
awk 'BEGIN {
	print "  p-100  [000] .....  50.000000: init_page_access_trace: START p pid=100"
	print "  q-200  [001] .....  50.000000: init_page_access_trace: START q pid=200"
	split("3000 500 40 500 3000 40 77 40 3000 500", ips, " ")
	t = 50000001
	for (i = 1; i <= 10; i++) {
		for (p = 100; p <= 200; p += 100) {
			rw = (i % 3 == 0) ? "W" : "R"
			printf "  x-%d  [000] .....  %d.%06d: handle_mm_fault: %d %s %s %x tgid=%d aux=0 fault=reset\n",
				p, t / 1000000, t % 1000000, p, rw, ips[i], 0x10000 + i * 4096 * p, p
			t += 3
		}
	}
}' > two.txt
pacollect -q --input two.txt -o two.db
check two.txt two.db --bins 5
check two.txt two.db --bins 2 --top 4
check two.txt two.db --pid 200 --bins 3 --by page
check two.txt two.db --top 0 --bins 1
check two.txt two.db --addr 0-ffffffffffffffff --by page --bins 5
paanalyze heatmap --json --bins 1 two.db > two.json
order=$(json_get two.json '" ".join("%s/%d" % (r["ip"], r["pid"]) for r in d["ips"])')
[ "$order" = "0x40/100 0x40/200 0x500/100 0x500/200 0x3000/100 0x3000/200 0x77/100 0x77/200" ] ||
	fail "tie order: $order"

# an empty selection: no rows, zero width
paanalyze heatmap --json --pid 12345 rnd.db > empty.json
[ "$(json_get empty.json '(d["events"], d["ips"], d["bins"]["width_us"])')" = "(0, [], 0)" ] ||
	fail "empty selection: $(cat empty.json)"
"$PYTHON" valid.py "$SRC/schema/json/heatmap.schema.json" empty.json

# the table: a header, one line per row with its bins between bars
paanalyze heatmap --bins 10 --top 3 rnd.db > table.txt
grep -q '^heatmap of rnd.db: 20000 events from 8 (process, ip) rows, 3 shown$' table.txt ||
	fail "table header: $(head -1 table.txt)"
[ "$(grep -c '^ *4242  0x4011[0-9a-f]*  *[0-9]*  *[0-9]*  *[0-9]*  |[ .:=+*#%@-]\{10\}|  ?$' table.txt)" = 3 ] ||
	fail "table rows: $(cat table.txt)"
paanalyze heatmap --bins 4 rnd.db > /dev/null || fail "table with defaults"

# bad flags: exit 2 and one line on stderr
for bad in "--bins 0" "--bins 100001" "--bins x" "--bins -3" "--top -1" "--top 1.5" \
	   "--by pages" "--by" "--bins" "--rw x" "--from 3" "--frobnicate" \
	   "--addr 5-5" "--addr zz-10" "--addr 10" "--addr -10-20" "--addr 1-2-3"; do
	# shellcheck disable=SC2086
	expect_exit 2 paanalyze heatmap rnd.db $bad
	[ "$(wc -l < err)" = 1 ] || fail "heatmap $bad: not one line: $(cat err)"
	grep -q "^paanalyze heatmap: .*(try 'paanalyze help heatmap')$" err ||
		fail "heatmap $bad: message $(cat err)"
done
expect_exit 1 paanalyze heatmap missing.db
expect_exit 0 paanalyze heatmap --help
grep -q -- '--by page' out || fail "--help does not explain --by page"

# the sparkline: the largest bin of a row is '@', an empty bin a space
paanalyze heatmap --bins 1 --top 0 two.db > spark1.txt
[ "$(grep -c '|@|' spark1.txt)" = 8 ] || fail "one bin is not '@': $(cat spark1.txt)"
paanalyze heatmap --bins 40 --top 1 --pid 100 two.db > spark40.txt
grep -q '| *@ *@ *@ *|' spark40.txt || fail "sparse bins: $(cat spark40.txt)"

# memory is bounded by ips x bins, not by events: 50 times the events, about the same
# peak RSS (GNU time's %M, in KiB)
if [ -x /usr/bin/time ]; then
	gentrace --pattern random --pages 1000 --events 1000000 --seed 9 > big.txt
	pacollect -q --input big.txt -o big.db
	/usr/bin/time -f %M -o rss.small paanalyze heatmap --json rnd.db > /dev/null
	/usr/bin/time -f %M -o rss.big paanalyze heatmap --json big.db > /dev/null
	[ "$(tail -1 rss.big)" -le $(($(tail -1 rss.small) + 8192)) ] ||
		fail "peak RSS grows with events: $(tail -1 rss.small) KiB for 2e4, $(tail -1 rss.big) KiB for 1e6"
fi
