#!/usr/bin/env python3
"""tests/kernel/sample-accuracy.py OUTDIR BUILD — the error of kernel sampling.

OUTDIR holds full.db (phases traced in full) and s16[abc].db, s64[abc].db (traced at
1/16 and 1/64) from tests/kernel/accuracy-guest.sh; BUILD has paanalyze and pacollect.
For each sampled run: the mean and the largest absolute error of the LRU miss ratio
over the cache sizes of the full run's curve (1, 2, 4, ... pages: the sampled curve,
scaled as SHARDS does, has points at the same sizes), and the relative error of the
working-set percentiles p50, p90, p99 and of the mean (10 ms windows) and of the
distinct pages. "mae>=N", "max>=N": the miss-ratio errors over the cache sizes of at
least N = 2^k pages only: a sample of 1 page in N cannot resolve distances below N.

Two comparisons. "In the VM": each sampled run against the full run. Its working-set
error also holds the tracer's own effect on time: a full trace slows the program (a
fault per page per interval), so its 10 ms windows hold less of the program's work
than a sampled run's. "Offline": the full run's own events sampled here with the
kernel's rule (for the addresses 0, 1, 2, 3 * 2^52 added to every page, i.e. four
other choices of the pages: the rule depends on the address), re-imported with
pacollect and analysed: the error of sampling alone. Prints tables; exits 1 when a
database is missing or unreadable, never on the size of an error (this measures).
"""
import json
import os
import subprocess
import sys

out, build = sys.argv[1], sys.argv[2]
pa = os.path.join(build, "paanalyze")


def analysis(db, *args):
    return json.loads(subprocess.run([pa, *args, "--json", os.path.join(out, db)], check=True,
                                     capture_output=True, text=True).stdout)


def sampled(vpn, k):
    return k == 0 or ((vpn * 0x61C8864680B583EB) % 2**64) >> (64 - k) == 0


def offline(k, salt):
    """The full run's events of the pages (page + salt * 2^52) sampled at shift k, as
    trace text imported into OUT/offline-k-salt.db. Returns its name."""
    name = "offline-%d-%d" % (k, salt)
    csv_text = subprocess.run([pa, "export", "--csv", os.path.join(out, "full.db")], check=True,
                              capture_output=True, text=True).stdout.splitlines()
    base = 1000.0  # the run start (START) at 1000 s; events at base + time_us
    lines = ["           phases-1 [000] ..... %.6f: init_page_access_trace: START phases pid=1 "
             "ppid=0 sample_shift=%d" % (base, k)]
    for row in csv_text[1:]:
        t, pid, tid, rw, ip, addr, page, aux, fault = row.split(",")
        if not sampled(int(page) + (salt << 52), k):
            continue
        lines.append("           phases-%s [000] ..... %.9f: handle_mm_fault: %s %s %s %s tgid=%s aux=%s "
                     "fault=%s" % (tid, base + float(t) / 1e6, tid, rw, ip[2:], addr[2:], pid, aux, fault))
    path = os.path.join(out, name + ".txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([os.path.join(build, "pacollect"), "-q", "-f", "--input", path, "-o",
                    os.path.join(out, name + ".db")], check=True)
    return name + ".db"


def info(db):
    return analysis(db, "info")


full = {"reuse": analysis("full.db", "reuse"), "wss": analysis("full.db", "wss"), "info": info("full.db")}
fmrc = {m["pages"]: m["miss_ratio"] for m in full["reuse"]["mrc"]}
print("phases traced in full: %d events, %d pages; wss p50 %d p90 %d p99 %d mean %.1f (10 ms windows)" % (
    full["info"]["events"], full["reuse"]["pages"], *(full["wss"]["summary"][k] for k in ("p50", "p90", "p99", "mean"))))


def table(title, dbs):
    print("\n%s\n%-14s %5s %8s %7s %8s %8s %8s %8s %7s %7s %7s %7s %7s" % (
        title, "run", "rate", "events", "1/ev", "mrc mae", "mrc max", "mae>=N", "max>=N", "p50", "p90",
        "p99", "mean", "pages"))
    rows = {}
    for db in dbs:
        r, w, i = analysis(db, "reuse"), analysis(db, "wss"), info(db)
        k = i["sample_shift"]
        smrc = {m["pages"]: m["miss_ratio"] for m in r["mrc"]}
        err = [abs(fmrc[c] - smrc[c]) for c in fmrc if c in smrc]
        big = [abs(fmrc[c] - smrc[c]) for c in fmrc if c in smrc and c >= 1 << k]
        rel = [abs(w["summary"][p] - full["wss"]["summary"][p]) / full["wss"]["summary"][p]
               for p in ("p50", "p90", "p99", "mean")]
        pages = abs(r["pages"] - full["reuse"]["pages"]) / full["reuse"]["pages"]
        row = [sum(err) / len(err), max(err), sum(big) / len(big), max(big), *rel, pages]
        rows.setdefault(k, []).append(row)
        print("%-14s 1/%-3d %8d %7.1f %8.4f %8.4f %8.4f %8.4f %6.1f%% %6.1f%% %6.1f%% %6.1f%% %6.1f%%" % (
            db[:-3], 1 << k, i["events"], full["info"]["events"] / i["events"], *row[:4],
            *(100 * x for x in row[4:])))
    for k, rs in sorted(rows.items()):
        avg = [sum(c) / len(c) for c in zip(*rs)]
        print("%-14s 1/%-3d %8s %7s %8.4f %8.4f %8.4f %8.4f %6.1f%% %6.1f%% %6.1f%% %6.1f%% %6.1f%%" % (
            "mean", 1 << k, "", "", *avg[:4], *(100 * x for x in avg[4:])))


table("In the VM: each sampled run against the full run",
      ["s16a.db", "s16b.db", "s16c.db", "s64a.db", "s64b.db", "s64c.db"])
table("Offline: the full run's events sampled with the kernel's rule (sampling alone)",
      [offline(k, salt) for k in (4, 6) for salt in range(4)])
