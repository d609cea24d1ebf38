# Kernel sampling (pacollect --sample, kernel/README.md "Sampling"): a full trace is
# sampled here, offline, with the kernel's rule (recomputed in Python), and both are
# imported. The analyses of the sampled run must scale its raw counts by 2^k exactly
# (checked against Python's own counts of the sampled text), and their estimates must
# stay near the full run's (stated tolerances).
. "$SRC/tests/cli/lib.sh"

K=4
# 120000 accesses over 8192 pages, 90 % of them to the first 819 (at 1/16: 512 pages
# sampled, about 51 of them hot).
gentrace --pattern hotcold --pages 8192 --events 120000 --seed 7 > full.txt
"$PYTHON" - "$K" full.txt sampled.txt <<'EOF'
import sys
k, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def sampled(addr):
    return k == 0 or ((addr >> 12) * 0x61C8864680B583EB) % 2**64 >> (64 - k) == 0

with open(src) as f, open(dst, "w") as out:
    for line in f:
        if "handle_mm_fault:" in line and not sampled(int(line.split()[8], 16)):
            continue
        if "init_page_access_trace: START" in line:
            line = line.rstrip("\n") + " sample_shift=%d\n" % k
        out.write(line)
EOF
pacollect -q --input full.txt -o full.db
pacollect -q --input sampled.txt -o sampled.db
[ "$(sqlite3 sampled.db "SELECT value FROM meta WHERE key = 'sample_shift'")" = $K ] ||
	fail "meta sample_shift of the sampled run"
[ "$(sqlite3 full.db "SELECT value FROM meta WHERE key = 'sample_shift'")" = 0 ] ||
	fail "meta sample_shift of the full run"
[ "$(sqlite3 sampled.db 'PRAGMA user_version')" = 3 ] || fail "format version"

for c in info wss reuse heatmap; do
	paanalyze $c --json sampled.db > "s.$c.json"
	paanalyze $c --json full.db > "f.$c.json"
done
paanalyze wss sampled.db > s.wss.txt
grep -q "^estimates: the kernel traced 1 page in 2^$K = 16 (sample_shift $K)" s.wss.txt ||
	fail "wss table: no estimates line: $(head -3 s.wss.txt)"
paanalyze reuse sampled.db | grep -q 'sampled: estimates' || fail "reuse table: no estimates"
paanalyze heatmap sampled.db | grep -q '^estimates: the kernel traced 1 page in 2^4' ||
	fail "heatmap table: no estimates line"
paanalyze info sampled.db | grep -q '^sampling        1 page in 2^4 = 16 traced' ||
	fail "info: no sampling line"
paanalyze info full.db | grep -q '^sampling        every page traced' || fail "info: full run"
for c in wss reuse heatmap; do
	grep -q '"sample_shift"' "f.$c.json" && fail "$c --json of a full run says sample_shift"
	[ "$(json_get "s.$c.json" 'd["sample_shift"]')" = $K ] || fail "$c --json: sample_shift"
done

# Exact: the sampled run's raw counts (info does not scale), and each scaled figure is
# 2^k times the raw one, against counts made here from the sampled text.
"$PYTHON" - "$K" sampled.txt s.info.json s.wss.json s.reuse.json s.heatmap.json <<'EOF'
import json, sys
k = int(sys.argv[1])
info, wss, reuse, heat = (json.load(open(p)) for p in sys.argv[3:7])
ev, t0 = [], None
for line in open(sys.argv[2]):
    w = line.split()
    if "init_page_access_trace:" in line and t0 is None:
        t0 = round(float(w[3].rstrip(":")) * 1e9)
    if "handle_mm_fault:" in line:
        ev.append((round(float(w[3].rstrip(":")) * 1e9), int(w[8], 16) >> 12))
bad = []
def want(name, got, exp):
    if got != exp:
        bad.append("%s: %r, expected %r" % (name, got, exp))
want("info events (raw)", info["events"], len(ev))
want("info pages (raw)", info["pages"], len({p for _, p in ev}))
want("info sample_shift", info["sample_shift"], k)
want("heatmap events", heat["events"], len(ev) << k)
want("heatmap total of the rows", sum(r["total"] for r in heat["ips"]), len(ev) << k)
# wss: 10 ms windows from the START: distinct sampled pages per window, times 2^k
win = {}
for t, p in ev:
    win.setdefault((t - t0) // 10000000, set()).add(p)
want("wss pages per window", [w["pages"] for w in wss["windows"]],
     [len(win.get(i, ())) << k for i in range(len(wss["windows"]))])
# reuse: exact LRU stack distances of the sampled accesses, each d standing for d * 2^k
stack, hist, cold = [], {}, 0
for _, p in ev:
    if p in stack:
        i = stack.index(p)
        d = (len(stack) - 1 - i) << k
        b = d.bit_length()
        hist[b] = hist.get(b, 0) + 1
        del stack[i]
    else:
        cold += 1
    stack.append(p)
want("reuse accesses", reuse["accesses"], len(ev) << k)
want("reuse cold", reuse["cold"], cold << k)
want("reuse pages", reuse["pages"], len(set(stack)) << k)
want("reuse histogram", [(h["min"], h["count"]) for h in reuse["histogram"]],
     [((1 << (b - 1)) if b else 0, n << k) for b, n in sorted(hist.items())])
if bad:
    sys.exit("\n".join(bad))
EOF

# Estimates against the full run: the miss ratio at each cache size of the full curve
# (the sampled curve's points are the sizes C = 2^j too) within 0.03 on average and
# 0.08 at worst; the working-set percentiles within 15 %, the distinct pages within 10 %.
"$PYTHON" - f.reuse.json s.reuse.json f.wss.json s.wss.json > accuracy <<'EOF'
import json, sys
fr, sr, fw, sw = (json.load(open(p)) for p in sys.argv[1:5])
smrc = {m["pages"]: m["miss_ratio"] for m in sr["mrc"]}
err = [abs(m["miss_ratio"] - smrc[m["pages"]]) for m in fr["mrc"] if m["pages"] in smrc]
mae, worst = sum(err) / len(err), max(err)
rel = {p: abs(sw["summary"][p] - fw["summary"][p]) / fw["summary"][p] for p in ("p50", "p90", "p99")}
pages = abs(sr["pages"] - fr["pages"]) / fr["pages"]
print("mrc points %d mae %.4f max %.4f; wss %s; pages %.3f" % (
    len(err), mae, worst, " ".join("%s %.3f" % kv for kv in sorted(rel.items())), pages))
ok = len(err) >= 8 and mae <= 0.03 and worst <= 0.08 and max(rel.values()) <= 0.15 and pages <= 0.10
sys.exit(0 if ok else 1)
EOF
[ $? -eq 0 ] || fail "sampled estimates too far from the full run: $(cat accuracy)"

# Denning's curve: scaled too (the mean pages of the longest T are the distinct pages
# over the run's span), within 10 % of the full run's at every T of 1 ms and more.
paanalyze wss --curve --json sampled.db > s.curve.json
paanalyze wss --curve --json full.db > f.curve.json
[ "$(json_get s.curve.json 'd["sample_shift"]')" = $K ] || fail "wss --curve --json: sample_shift"
"$PYTHON" - f.curve.json s.curve.json <<'EOF2' || fail "wss --curve of the sampled run: $(cat curve.err)"
import json, sys
f, s = (json.load(open(p))["curve"] for p in sys.argv[1:3])
bad = [(a["window_us"], a["mean_pages"], b["mean_pages"]) for a, b in zip(f, s)
       if a["window_us"] >= 1000 and abs(b["mean_pages"] - a["mean_pages"]) > 0.1 * a["mean_pages"]]
if len(f) != len(s) or bad:
    open("curve.err", "w").write("%d/%d points; off by more than 10 %%: %r" % (len(f), len(s), bad[:3]))
    sys.exit(1)
EOF2
echo "accuracy at 1/16: $(cat accuracy)"

# A damaged sample_shift is refused, and check names it.
cp sampled.db bad.db
sqlite3 bad.db "UPDATE meta SET value = 40 WHERE key = 'sample_shift'"
for c in info wss reuse heatmap; do
	expect_exit 1 paanalyze $c bad.db
	grep -q 'bad.db: meta sample_shift 40 is not in 0..31' err || fail "$c on bad shift: $(cat err)"
done
expect_exit 1 paanalyze check bad.db
grep -q 'meta sample_shift 40 is not in 0..31' out err || fail "check: $(cat out err)"

# A format 2 database (before sampling) has no sample_shift: every page, no scaling.
cp sampled.db v2.db
sqlite3 v2.db "DELETE FROM meta WHERE key = 'sample_shift'; UPDATE meta SET value = 2 WHERE key = 'format_version'; PRAGMA user_version = 2"
paanalyze info --json v2.db > v2.json
[ "$(json_get v2.json 'd["sample_shift"]')" = 0 ] || fail "format 2: sample_shift"
[ "$(json_get v2.json 'd["format_version"]')" = 2 ] || fail "format 2: version"
paanalyze heatmap --json v2.db > v2h.json
[ "$(json_get v2h.json 'd["events"]')" = "$(json_get s.info.json 'd["events"]')" ] ||
	fail "format 2: heatmap scaled"
