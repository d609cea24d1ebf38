# paanalyze --png/--svg: the pictures of heatmap (per ip and --by page), wss and reuse,
# checked against the JSON of the same command and against the trace text itself:
# sizes, the colour of every cell in the PNG (decoded here with zlib, not libpng) and
# in the SVG, the tooltips, well-formed SVG, the titles, and errors.
. "$SRC/tests/cli/lib.sh"
export PYTHONPATH="$SRC/tests/cli"

gentrace --pattern threads --pages 40 --passes 3 --threads 4 > thr.txt
pacollect -q --input thr.txt -o thr.db

# ---- heatmap per ip: every cell of the SVG is a bin of the JSON, at its place, in its
# colour in both files; empty bins are white; the largest bin is viridis' top colour
paanalyze heatmap --json --bins 30 thr.db > hm.json
paanalyze heatmap --bins 30 --png hm.png --svg hm.svg thr.db > hm.out ||
	fail "heatmap --png --svg failed"
[ ! -s hm.out ] || fail "a picture was asked for, yet the table was printed"
cat > check_grid.py <<'EOF2'
import json, sys
from pictures import *
doc = json.load(open(sys.argv[1]))
root, cells = svg_items(sys.argv[2], 'cell')
w, h, png = read_png(sys.argv[3])
if (w, h) != (int(root.get('width')), int(root.get('height'))):
    fail('PNG is %dx%d, SVG %sx%s' % (w, h, root.get('width'), root.get('height')))
if 'heatmap per instruction: gentrace' not in root.find(NS + 'title').text:
    fail('SVG title: %r' % root.find(NS + 'title').text)
xs = sorted({int(a['x']) for a, _ in cells})
ys = sorted({int(a['y']) for a, _ in cells})
cw, rh = int(cells[0][0]['width']), int(cells[0][0]['height'])
x0, y0 = xs[0] - cw * min(k for r in doc['ips'] for k, c in enumerate(r['counts']) if c), ys[0]
nonzero = sum(1 for r in doc['ips'] for c in r['counts'] if c)
if len(cells) != nonzero:
    fail('%d cells drawn, %d non-empty bins' % (len(cells), nonzero))
top = max(c for r in doc['ips'] for c in r['counts'])
for a, tip in cells:
    col, row = (int(a['x']) - x0) // cw, (int(a['y']) - y0) // rh
    r = doc['ips'][row]
    want = '%d events' % r['counts'][col]
    if r['ip'] not in tip or ': ' + want not in tip or 'pid %d' % r['pid'] not in tip:
        fail('cell %d,%d says %r, want %s of %s' % (row, col, tip, want, r['ip']))
    px = png[int(a['y']) + rh // 2][int(a['x']) + cw // 2]
    if px != hex_rgb(a['fill']):
        fail('PNG pixel of cell %d,%d is %s, SVG fill %s' % (row, col, px, a['fill']))
    if r['counts'][col] == top and a['fill'] != '#fde725':
        fail('the largest bin is %s, not the top of the scale' % a['fill'])
# an empty bin is white in the PNG
for row, r in enumerate(doc['ips']):
    for col, c in enumerate(r['counts']):
        if not c:
            px = png[y0 + row * rh + rh // 2][x0 + col * cw + cw // 2]
            if px != (255, 255, 255):
                fail('empty bin %d,%d is %s' % (row, col, px))
# the corners are white, the title is drawn in ink at the top left
if png[0][0] != (255, 255, 255) or png[h - 1][w - 1] != (255, 255, 255):
    fail('corners not white')
if not any(png[y][x] == (0x22, 0x22, 0x22) for y in range(10, 24) for x in range(10, 200)):
    fail('no title text at the top left')
print(len(cells), 'cells')
EOF2
"$PYTHON" check_grid.py hm.json hm.svg hm.png || fail "heatmap picture"
# the row labels: 4 threads' ips, unknown symbols shown as their ips
for ip in 0x401300 0x401304 0x401308 0x40130c; do
	grep -q ">$ip</text>" hm.svg || fail "no row label $ip"
done

# ---- heatmap --by page: time x address of a real trace with its mappings; each row's
# cells add up to the events of its pages in the trace text; bands name the mappings
gzip -dc "$SRC/samples/traces/real-phases.txt.gz" > phases.txt
pacollect -q --input phases.txt -o phases.db
paanalyze heatmap --by page --bins 120 --png page.png --svg page.svg phases.db ||
	fail "heatmap --by page pictures"
cat > check_page.py <<'EOF2'
import re, sys
from collections import Counter
from pictures import *
root, cells = svg_items('page.svg', 'cell')
_, bands = svg_items('page.svg', 'band')
w, h, png = read_png('page.png')
if (w, h) != (int(root.get('width')), int(root.get('height'))):
    fail('PNG and SVG sizes differ')
names = [t.split(' from ')[0] for _, t in bands]
for want in ('/bin/phases', '[heap]', '[stack]', '[anon]'):
    if want not in names:
        fail('no band %s among %s' % (want, names))
addrs = Counter()
for line in open('phases.txt'):
    m = re.search(r'handle_mm_fault: \d+ [RW] [0-9a-f]+ ([0-9a-f]+)', line)
    if m:
        addrs[int(m.group(1), 16) >> 12] += 1
rows = {}
for a, tip in cells:
    name, rng, when = tip.split('\n')
    if name not in names:
        fail('cell names %r, not a band' % name)
    lo, hi = (int(x, 16) >> 12 for x in re.match(r'(0x[0-9a-f]+) to (0x[0-9a-f]+)', rng).groups())
    n = int(re.search(r': (\d+) events', when).group(1))
    y = int(a['y'])
    rows.setdefault(y, [lo, hi, 0])[2] += n
    if png[y + int(a['height']) // 2][int(a['x']) + int(a['width']) // 2] != hex_rgb(a['fill']):
        fail('PNG and SVG differ at %s' % a)
for y, (lo, hi, n) in rows.items():
    want = sum(c for p, c in addrs.items() if lo <= p < hi)
    if n != want:
        fail('row at y=%d, pages %x-%x: %d events drawn, the trace has %d' % (y, lo, hi, n, want))
covered = set()
for lo, hi, n in rows.values():
    covered.update(range(lo, hi))
if not set(addrs) <= covered:
    fail('%d pages of the trace not drawn' % len(set(addrs) - covered))
print(len(rows), 'rows')
EOF2
"$PYTHON" check_page.py || fail "page heatmap picture"

# ---- wss: a hover band per window with its counts, the percentiles as dashed lines,
# and in the PNG each window's pages drawn at the height the percentile lines scale to
gentrace --pattern hotcold --pages 400 --events 30000 --step-us 3 > hc.txt
pacollect -q --input hc.txt -o hc.db
paanalyze wss --json --window 2ms hc.db > wss.json
paanalyze wss --window 2ms --png wss.png --svg wss.svg hc.db || fail "wss pictures"
cat > check_wss.py <<'EOF2'
import json, re
from pictures import *
doc = json.load(open('wss.json'))
root, hover = svg_items('wss.svg', 'hover')
w, h, png = read_png('wss.png')
if (w, h) != (int(root.get('width')), int(root.get('height'))):
    fail('PNG and SVG sizes differ')
if len(hover) != len(doc['windows']):
    fail('%d hover bands, %d windows' % (len(hover), len(doc['windows'])))
for (a, tip), win in zip(hover, doc['windows']):
    want = '%d pages (' % win['pages']
    if not tip.startswith('%.3f to ' % (win['start_us'] / 1000)) or want not in tip or \
            '%d read, %d written' % (win['read_pages'], win['write_pages']) not in tip:
        fail('window %s: tooltip %r' % (win, tip))
lines = {}
for e in root.iter(NS + 'line'):
    t = e.find(NS + 'title')
    if t is not None:
        m = re.match(r'(p\d+) = (\d+) pages', t.text)
        lines[m.group(1)] = (int(m.group(2)), int(float(e.get('y1'))))
for k in ('p50', 'p90', 'p99'):
    if lines[k][0] != doc['summary'][k]:
        fail('%s line at %d, JSON says %d' % (k, lines[k][0], doc['summary'][k]))
    if png[lines[k][1]][int(hover[0][0]['x']) + 1] != (0x55, 0x55, 0x55):
        fail('no dashed %s line in the PNG at y=%d' % (k, lines[k][1]))
(v0, y0), (v1, y1) = lines['p50'], lines['p99']
ink = {(0x9e, 0xc3, 0xf0), (0x2a, 0x9d, 0x3a), (0xd6, 0x27, 0x28)}
for (a, tip), win in zip(hover, doc['windows']):
    x = int(a['x']) + int(a['width']) // 2
    y = round(y0 + (win['pages'] - v0) * (y1 - y0) / (v1 - v0))
    if not any(png[yy][x] in ink for yy in range(y - 2, y + 3)):
        fail('window at %s: no line at y=%d in the PNG' % (win['start_us'], y))
print(len(hover), 'windows')
EOF2
"$PYTHON" check_wss.py || fail "wss picture"

# ---- reuse: a point per size of the miss-ratio curve, at sizes in bytes, with its
# miss ratio in the tooltip and in the PNG at the point's centre
paanalyze reuse --json hc.db > reuse.json
paanalyze reuse --png mrc.png --svg mrc.svg hc.db || fail "reuse pictures"
cat > check_mrc.py <<'EOF2'
import json, re
from pictures import *
doc = json.load(open('reuse.json'))
root, points = svg_items('mrc.svg', 'point')
w, h, png = read_png('mrc.png')
if len(points) != len(doc['mrc']):
    fail('%d points, %d sizes' % (len(points), len(doc['mrc'])))
for (a, tip), m in zip(points, doc['mrc']):
    got = re.match(r'LRU cache of (\d+) pages \(([^)]*)\): miss ratio ([0-9.]+)', tip)
    if int(got.group(1)) != m['pages'] or abs(float(got.group(3)) - m['miss_ratio']) > 1e-6:
        fail('point %r, JSON %r' % (tip, m))
# log axis: equal ratios of size, equal steps (1, 2, 4, ... pages)
doubling_points(points, png, 'sizes')
need_texts(root, '4 KiB', 'LRU cache size (log scale)')
print(len(points), 'points')
EOF2
"$PYTHON" check_mrc.py || fail "reuse picture"

# ---- wss --curve: a point per window length T of the JSON, its tooltip saying s(T),
# left to right at even steps (log axis), in the same colour in the PNG
paanalyze wss --curve --json hc.db > curve.json
paanalyze wss --curve --png curve.png --svg curve.svg hc.db > curve.out ||
	fail "wss --curve pictures"
[ ! -s curve.out ] || fail "wss --curve printed its table beside the picture"
cat > check_curve.py <<'EOF2'
import json, re
from pictures import *
doc = json.load(open('curve.json'))['curve']
root, points = svg_items('curve.svg', 'point')
w, h, png = read_png('curve.png')
if (w, h) != (int(root.get('width')), int(root.get('height'))):
    fail('PNG and SVG sizes differ')
if len(points) != len(doc) or len(doc) < 5:
    fail('%d points, %d window lengths' % (len(points), len(doc)))
for (a, tip), c in zip(points, doc):
    got = re.match(r'T = (\d+) us: on average ([0-9.]+) pages', tip)
    if not got or int(got.group(1)) != c['window_us'] or \
            abs(float(got.group(2)) - c['mean_pages']) > 5e-4:
        fail('point %r, JSON %r' % (tip, c))
doubling_points(points, png, 'windows')
ys = [int(a['cy'].split('.')[0]) for a, _ in points]
if ys != sorted(ys, reverse=True):
    fail('s(T) grows with T, the points do not rise: %s' % ys)
need_texts(root, '1 us', 'window length T (log scale)')
print(len(points), 'points')
EOF2
"$PYTHON" check_curve.py || fail "wss --curve picture"

# ---- a large page heatmap: a column per tracing interval (1 ms: 120 ms, 120 columns
# of 6 px), pages outside any mapping named so, and above 5000 cells an SVG of one path
# per colour (every cell in its PNG colour) with a tooltip per row whose events add up
gentrace --pattern random --pages 5000 --events 60000 --step-us 2 > big.txt
pacollect -q --input big.txt -o big.db
paanalyze heatmap --by page --png bigpage.png --svg bigpage.svg big.db ||
	fail "large page heatmap"
cat > check_bigpage.py <<'EOF2'
import os, re
from pictures import *
root, cells = svg_items('bigpage.svg', 'cell')
_, paths = svg_items('bigpage.svg', 'cells')
_, rows = svg_items('bigpage.svg', 'row')
_, bands = svg_items('bigpage.svg', 'band')
w, h, png = read_png('bigpage.png')
if cells or not paths:
    fail('%d rects, %d paths: a large grid is drawn in paths' % (len(cells), len(paths)))
if [t.split(' from ')[0] for _, t in bands] != ['[not in maps]']:
    fail('bands: %s' % [t for _, t in bands])
xs, filled = set(), 0
for a, _ in paths:
    for x, y, cw, ch in re.findall(r'M(\d+) (\d+)h(\d+)v(\d+)h-\d+z', a['d']):
        x, y, cw, ch = int(x), int(y), int(cw), int(ch)
        if cw % 6:
            fail('a run of cells %d px wide, not whole 6 px columns' % cw)
        for c in range(x, x + cw, 6):
            xs.add(c)
            filled += 1
            if png[y + ch // 2][c + 3] != hex_rgb(a['fill']):
                fail('PNG differs from the path at %d,%d' % (c, y))
if len(xs) != 120 or max(xs) - min(xs) != 119 * 6:
    fail('%d columns from x=%d to %d, want 120 of 6 px' % (len(xs), min(xs), max(xs)))
events = sum(int(re.search(r'the whole run: (\d+) events', t).group(1)) for _, t in rows)
if events != 60000 or len(rows) != 100:
    fail('%d row tooltips adding up to %d events' % (len(rows), events))
size = os.path.getsize('bigpage.svg')
if size > 40 * filled:
    fail('%d bytes of SVG for %d cells' % (size, filled))
print(filled, 'cells in', size, 'bytes')
EOF2
"$PYTHON" check_bigpage.py || fail "large page heatmap picture"

# ---- errors: a file that cannot be written is named, and nothing is left behind
expect_exit 1 paanalyze heatmap --png nodir/x.png thr.db
grep -q "^paanalyze: cannot write nodir/x.png: No such file or directory$" err ||
	fail "unwritable --png: $(cat err)"
expect_exit 1 paanalyze heatmap --bins 5000 --svg big.svg thr.db
grep -q "at most 4000 columns" err || fail "--bins 5000 --svg: $(cat err)"
[ ! -e big.svg ] && [ -z "$(ls | grep tmp-)" ] || fail "a failed picture left files"
expect_exit 2 paanalyze heatmap thr.db --png
