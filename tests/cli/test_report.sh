# paanalyze report: one self-contained HTML page, loaded in a real browser (Debian's
# chromium, headless) whose DOM must hold the summary, the four pictures with their
# tooltips and the tables, with the numbers of heatmap, wss and reuse --json.
. "$SRC/tests/cli/lib.sh"
export PYTHONPATH="$SRC/tests/cli"
command -v chromium > /dev/null || fail "chromium is needed (scripts/install-deps.sh test)"

gzip -dc "$SRC/samples/traces/real-phases.txt.gz" > phases.txt
pacollect -q --input phases.txt -o phases.db
paanalyze report -o report.html phases.db > out || fail "report failed"
[ ! -s out ] || fail "report printed: $(cat out)"
paanalyze reuse --json phases.db > reuse.json
paanalyze wss --json phases.db > wss.json
paanalyze heatmap --json --top 20 phases.db > heat.json

# nothing from elsewhere: no scripts, links, images or frames
if grep -Eiq '<(script|link|img|iframe|object|embed)[ >]|url\(|@import' report.html; then
	fail "the report loads something: $(grep -Eio '<(script|link|img|iframe)[^>]*' report.html | head -3)"
fi

# the browser's view: its DOM after loading, and what it logged
chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
	--user-data-dir="$PWD/profile" --dump-dom "file://$PWD/report.html" > dom.html 2> browser.log ||
	fail "chromium failed: $(tail -5 browser.log)"
if grep -Eq 'Uncaught|Failed to load|net::ERR|SyntaxError' browser.log; then
	fail "the browser logged errors: $(grep -E 'Uncaught|Failed to load|net::ERR|SyntaxError' browser.log | head -3)"
fi
cat > check_dom.py <<'EOF2'
import json, re
from html.parser import HTMLParser
from pictures import fail

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.svgs, self.tables, self.cell_titles = [], 0, {}, 0
        self.table, self.row, self.text, self.h1 = None, None, '', ''
        self.in_title = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'svg':
            self.svgs += 1
        if tag == 'table':
            self.table = a.get('id') or 'table%d' % len(self.tables)
            self.tables[self.table] = []
        if tag == 'tr':
            self.row = []
        if tag in ('td', 'th', 'h1', 'title'):
            self.text = ''
        if tag == 'rect' and a.get('class') == 'cell':
            self.cell_titles += 1
    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.row is not None:
            self.row.append(self.text.strip())
        if tag == 'tr' and self.table:
            self.tables[self.table].append(self.row)
        if tag == 'table':
            self.table = None
        if tag == 'h1':
            self.h1 = self.text
    def handle_data(self, d):
        self.text += d

p = Page()
p.feed(open('dom.html').read())
if p.h1 != 'pat report: phases':
    fail('heading %r' % p.h1)
if p.svgs != 4:
    fail('%d pictures rendered, want 4' % p.svgs)
if p.cell_titles < 100:
    fail('only %d heatmap cells' % p.cell_titles)
summary = dict(p.tables['summary'])
if summary.get('events stored') != '43958' or summary.get('source') != 'import':
    fail('summary %r' % summary)
heat = json.load(open('heat.json'))
top = [r for r in p.tables.values() if r and r[0][:2] == ['pid', 'ip']][0][1:]
if [(int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in top] != \
        [(x['pid'], x['ip'], x['total'], x['reads'], x['writes']) for x in heat['ips']]:
    fail('top table differs from heatmap --json --top 20')
mrc = json.load(open('reuse.json'))['mrc']
rows = p.tables['mrc'][1:]
if [(int(r[0]), round(float(r[2]), 6)) for r in rows] != \
        [(m['pages'], round(m['miss_ratio'], 6)) for m in mrc]:
    fail('MRC table differs from reuse --json')
if rows[2][1] != '16 KiB':
    fail('sizes in bytes: %r' % rows[2])
s = json.load(open('wss.json'))['summary']
w = p.tables['wss'][1]
if [int(w[i]) for i in (1, 3, 4, 5, 6)] != [s['min'], s['p50'], s['p90'], s['p99'], s['max']]:
    fail('wss table %r, JSON %r' % (w, s))
print(p.svgs, 'pictures,', p.cell_titles, 'cells')
EOF2
"$PYTHON" check_dom.py || fail "the rendered report"

# usage errors and a file that cannot be written
expect_exit 2 paanalyze report phases.db
grep -q "^paanalyze report: -o FILE is needed" err || fail "no -o: $(cat err)"
expect_exit 1 paanalyze report -o nodir/r.html phases.db
grep -q "cannot write nodir/r.html" err || fail "unwritable: $(cat err)"
expect_exit 1 paanalyze report -o r.html missing.db
[ ! -e r.html ] || fail "a failed report left a file"
paanalyze report --output r2.html --pid 50 --from 400ms phases.db || fail "filters"
grep -q -- '--pid 50 --from 400ms' r2.html || fail "the filters are not named"
