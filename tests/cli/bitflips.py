"""bitflips.py GOOD_DB N SEED [CMD...]: flip one random bit of one random chunk blob
of a copy of GOOD_DB, N times, and run `paanalyze CMD` (default wss) on each copy.

Prints one line of figures: flips, refused (exit 1, one message naming the file and
the chunk), same (exit 0 and the answer of the undamaged database: a bit no reader
uses), wrong (exit 0 and another answer) and other (any other exit, or a refusal
that does not name the chunk). Exits 1 when any is wrong or other."""
import random
import re
import shutil
import sqlite3
import subprocess
import sys

good, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cmd = sys.argv[4:] or ["wss"]
rng = random.Random(seed)


def run(db):
    p = subprocess.run(["paanalyze", *cmd, db], capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


rc, want, _ = run(good)
assert rc == 0, "the undamaged database must be read"
con = sqlite3.connect(good)
chunks = con.execute("SELECT id, length(data) FROM chunks").fetchall()
con.close()
counts = {"refused": 0, "same": 0, "wrong": 0, "other": 0}
for k in range(n):
    cid, length = rng.choice(chunks)
    bit = rng.randrange(length * 8)
    shutil.copyfile(good, "flip.db")
    con = sqlite3.connect("flip.db")
    data = bytearray(con.execute("SELECT data FROM chunks WHERE id = ?", (cid,)).fetchone()[0])
    data[bit // 8] ^= 1 << (bit % 8)
    con.execute("UPDATE chunks SET data = ? WHERE id = ?", (bytes(data), cid))
    con.commit()
    con.close()
    rc, out, err = run("flip.db")
    named = re.fullmatch(r"paanalyze: flip\.db: (database is damaged at )?chunk %d "
                         r"\(times [0-9.]+-[0-9.]+ s\)( is damaged)?: [^\n]+\n" % cid, err)
    if rc == 0:
        kind = "same" if out == want else "wrong"
    elif rc == 1 and named:
        kind = "refused"
    else:
        kind = "other"
    if kind in ("wrong", "other"):
        print(f"chunk {cid} bit {bit}: {kind}, exit {rc}: {err.strip()}", file=sys.stderr)
    counts[kind] += 1
print(f"{' '.join(cmd)}: {n} flips: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
sys.exit(1 if counts["wrong"] or counts["other"] else 0)
