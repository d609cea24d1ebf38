# paanalyze heatmap symbolization, for real: a program compiled here (non-PIE and PIE)
# prints the addresses of two of its functions and its own /proc/self/maps; a trace
# with those mappings and faults at those ips must name the functions with the offsets
# and file:line that nm and addr2line (binutils, independent of libdwfl) give. Ips in a
# deleted file, an unmapped area or a mapping unmapped before the fault give null.
. "$SRC/tests/cli/lib.sh"
command -v gcc > /dev/null || fail "gcc is needed"

cat > prog.c <<'EOF'
#include <stdio.h>

int func_a(int x)
{
	return x + 1;
}

int func_b(int x)
{
	int y = x * 2;

	y += x / 3;
	return y + 3;
}

int main(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];

	printf("func_a %lx\nfunc_b %lx\n", (unsigned long)&func_a, (unsigned long)&func_b);
	while (f && fgets(line, sizeof(line), f))
		printf("map %s", line);
	return func_a(1) + func_b(2) > 100;
}
EOF

# trace.py OUT PROG: run PROG, write a trace of its mappings and of faults at its ips,
# and the expected symbols (from nm and addr2line) as JSON into OUT.want
cat > trace.py <<'EOF'
import json, os, re, shutil, subprocess, sys

out, prog = sys.argv[1], os.path.abspath(sys.argv[2])
text = subprocess.run([prog], capture_output=True, text=True).stdout
addr, maps = {}, []
for line in text.splitlines():
    f = line.split()
    if f[0] in ('func_a', 'func_b'):
        addr[f[0]] = int(f[1], 16)
    elif f[0] == 'map':
        s, e = (int(x, 16) for x in f[1].split('-'))
        maps.append((s, e, f[2], int(f[3], 16), ' '.join(f[6:])))

# the load bias: ELF address = ip - bias (0 for non-PIE), from the offset-0 mapping
text_map = [m for m in maps if m[4] == prog and m[0] <= addr['func_a'] < m[1]][0]
base = min(m[0] for m in maps if m[4] == prog and m[3] == 0)
etype = subprocess.run(['readelf', '-h', prog], capture_output=True, text=True).stdout
bias = base if 'DYN' in etype else 0
nm = {}
for line in subprocess.run(['nm', prog], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3:
        nm[f[2]] = int(f[0], 16)

def expect(ip):
    vaddr = ip - bias
    fn, src = subprocess.run(['addr2line', '-f', '-e', prog, hex(vaddr)], capture_output=True,
                             text=True).stdout.splitlines()[:2]
    src = src.split(' ')[0]
    return {'symbol': '%s+0x%x' % (fn, vaddr - nm[fn]),
            'source': os.path.basename(src.split(':')[0]) + ':' + src.split(':')[1]}

# a copy of the program mapped at a free address, deleted before the analysis
shutil.copy(prog, prog + '.del')
free = 0x10000000
text_off = text_map[3]
del_ip = free + (addr['func_b'] - text_map[0])
# another copy, unmapped before its second fault
shutil.copy(prog, prog + '.un')
un_ip = 0x30000000 + (addr['func_a'] - text_map[0])

ips = [  # (ip, faults, expectation)
    (addr['func_a'], 5, expect(addr['func_a'])),
    (addr['func_b'], 4, expect(addr['func_b'])),
    (addr['func_b'] + 9, 3, expect(addr['func_b'] + 9)),
    (del_ip, 2, None),
    (0x20000000, 1, None),
]
lines = []
t = [100_000_000]

def emit(event, body):
    lines.append('          prog-777   [000] .....  %d.%06d: %s: %s' %
                 (t[0] // 10**6, t[0] % 10**6, event, body))
    t[0] += 1

emit('init_page_access_trace', 'START prog pid=777 ppid=1')
for s, e, prot, off, path in maps:
    emit('page_access_mmap', 'pid=777 start=%x end=%x prot=%s pgoff=%x reason=exec path=%s'
         % (s, e, prot, off, path))
emit('page_access_mmap', 'pid=777 start=%x end=%x prot=r-xp pgoff=%x reason=mmap path=%s'
     % (free, free + text_map[1] - text_map[0], text_off, prog + '.del'))
emit('page_access_mmap', 'pid=777 start=%x end=%x prot=r-xp pgoff=%x reason=mmap path=%s'
     % (0x30000000, 0x30000000 + text_map[1] - text_map[0], text_off, prog + '.un'))
for ip, k, _ in ips:
    for i in range(k):
        emit('handle_mm_fault', '777 R %x %x tgid=777 aux=0 fault=reset' % (ip, 0x7f0000000000 + i * 4096))
# the .un copy: one fault while mapped (named), then unmapped, then faults at a new ip
# that no mapping covers any more
emit('handle_mm_fault', '777 W %x 7f0000100000 tgid=777 aux=0 fault=reset' % un_ip)
emit('page_access_munmap', 'pid=777 start=%x end=%x' % (0x30000000, 0x30000000 + text_map[1] - text_map[0]))
for i in range(6):
    emit('handle_mm_fault', '777 R %x 7f0000200000 tgid=777 aux=0 fault=reset' % (un_ip + 16))
ips.append((un_ip, 1, expect(addr['func_a'])))
ips.append((un_ip + 16, 6, None))
emit('__reset_page_access_trace', 'END prog pid=777')
open(out, 'w').write('\n'.join(lines) + '\n')
json.dump({hex(ip): e for ip, _, e in ips}, open(out + '.want', 'w'))
print(hex(addr['func_a']), hex(text_map[0]), text_map[3])
EOF

# compare.py GOT WANT: every row's symbol and source (basename:line) as expected
cat > compare.py <<'EOF'
import json, os, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rows = {r['ip']: r for r in got['ips']}
bad = 0
for ip, e in want.items():
    r = rows[ip]
    g = None if r['symbol'] is None else {
        'symbol': r['symbol'],
        'source': None if r['source'] is None else
        os.path.basename(r['source'].rsplit(':', 1)[0]) + ':' + r['source'].rsplit(':', 1)[1]}
    if g != e:
        print('%s: got %r, want %r' % (ip, g, e))
        bad = 1
sys.exit(bad)
EOF

for kind in nopie pie; do
	if [ $kind = pie ]; then flags="-fPIE -pie"; else flags="-fno-pie -no-pie"; fi
	# shellcheck disable=SC2086
	gcc -g -O0 $flags -o prog_$kind prog.c || fail "cannot compile prog.c ($kind)"
	"$PYTHON" trace.py $kind.txt prog_$kind > /dev/null
	pacollect -q --input $kind.txt -o $kind.db

	# before deleting the copy, its ip is named like the original's func_b
	paanalyze heatmap --json $kind.db > before.json
	[ "$(json_get before.json '[r["symbol"] for r in d["ips"] if r["total"] == 2][0]')" = "func_b+0x0" ] ||
		fail "$kind: the copy mapped elsewhere is not named: $(cat before.json)"
	rm prog_$kind.del
	paanalyze heatmap --json $kind.db > $kind.json
	"$PYTHON" compare.py $kind.json $kind.txt.want || fail "$kind: wrong symbols"
	"$PYTHON" -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
		"$SRC/schema/json/heatmap.schema.json" $kind.json || fail "$kind: schema"
	# the table shows them too
	paanalyze heatmap --bins 8 $kind.db > $kind.table
	grep -q 'func_a+0x0 (.*prog.c:[0-9]*)$' $kind.table || fail "$kind: table: $(cat $kind.table)"
done

# the PIE program's random base really differed from its link addresses
[ "$(json_get pie.json '[int(r["ip"], 16) > 0x500000000000 for r in d["ips"] if r["total"] == 5]')" = "[True]" ] ||
	fail "the PIE run was not relocated: $(cat pie.json)"

# /proc/PID/maps snapshots (as the live collector writes them) serve too: a database
# without mapping events, and one snapshot of the program's text taken after the faults
grep -v page_access_mmap nopie.txt > nomaps.txt
pacollect -q --input nomaps.txt -o nomaps.db
paanalyze heatmap --json nomaps.db > nomaps.json
[ "$(json_get nomaps.json '[r["symbol"] for r in d["ips"]]')" = "[None, None, None, None, None, None, None]" ] ||
	fail "symbols without any mapping: $(cat nomaps.json)"
line=$(./prog_nopie | awk -v p="$(pwd)/prog_nopie" '$1 == "map" && $3 ~ /x/ && $7 == p')
set -- $line
sqlite3 nomaps.db "INSERT INTO maps (time_ns, tgid, op, start_addr, end_addr, prot, pgoff, path)
	VALUES (200000000000, 777, 'snapshot', $((0x${2%-*})), $((0x${2#*-})), '$3', $((0x$4)), '$7')"
paanalyze heatmap --json nomaps.db > snap.json
[ "$(json_get snap.json '[r["symbol"] for r in d["ips"] if r["total"] in (5, 4)]')" = "['func_a+0x0', 'func_b+0x0']" ] ||
	fail "symbols from a later snapshot: $(cat snap.json)"

# a snapshot taken after the mapping events but before the faults, that does not list
# the program's text, means the text was unmapped by then: no names
cp nopie.db gone.db
sqlite3 gone.db "INSERT INTO maps (time_ns, tgid, op, start_addr, end_addr, prot, pgoff, path)
	SELECT max(time_ns) + 1, 777, 'snapshot', 4096, 8192, 'rw-p', 0, '' FROM maps WHERE op = 'map'"
paanalyze heatmap --json gone.db > gone.json
[ "$(json_get gone.json '[r["symbol"] for r in d["ips"]]')" = "[None, None, None, None, None, None, None]" ] ||
	fail "a later snapshot without the mapping still gave names: $(cat gone.json)"

# libdw is loaded by heatmap alone: where it cannot be loaded (a dlopen that fails,
# preloaded; ASan's check that it comes first is waived for that), heatmap says so and
# fails, and wss still runs
cat > nodl.c <<'C'
#include <stddef.h>
void *dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}
C
gcc -shared -fPIC -o nodl.so nodl.c
expect_exit 1 env LD_PRELOAD="$PWD/nodl.so" ASAN_OPTIONS=verify_asan_link_order=0 \
	paanalyze heatmap nopie.db
grep -q '^paanalyze: heatmap: cannot load libdw.so.1' err || fail "no libdw: $(cat err)"
expect_exit 0 env LD_PRELOAD="$PWD/nodl.so" ASAN_OPTIONS=verify_asan_link_order=0 \
	paanalyze wss nopie.db
