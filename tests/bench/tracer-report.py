#!/usr/bin/env python3
"""tests/bench/tracer-report.py OUT: the table of `make bench-tracer` from the guest's
runs.txt and rate.txt (tests/bench/tracer-guest.sh says what they hold).

Per program: the median elapsed time untraced, and per setting (interval : 1 in N pages
sampled) the ratio of the traced median to the untraced one, with the events per
second of the traced runs. A run that failed shows as 'failed'."""
import statistics
import sys

out = sys.argv[1]
settings = open(out + "/settings").read().split()
runs = {}
order = []
for line in open(out + "/runs.txt"):
    w = line.split()
    if len(w) != 6:
        continue
    name, setting, _round, us, ev, _lost = w
    if name not in order:
        order.append(name)
    r = runs.setdefault((name, setting), {"us": [], "ev": [], "lost": 0, "failed": 0})
    if us == "-":
        r["failed"] += 1
        continue
    r["us"].append(int(us))
    if ev != "-":
        r["ev"].append(int(ev))
        r["lost"] += int(_lost) if _lost.isdigit() else 0


def label(s):
    """untraced, 1ms all, 1ms 1/64, or "1ms 1/64 kernel" for the kernel's part alone (k1ms:64)"""
    if s == "untraced":
        return "untraced"
    iv, n = s.lstrip("k").split(":")
    return iv + (" all" if n == "1" else " 1/" + n) + (" kernel" if s.startswith("k") else "")


traced = [s for s in settings if s != "untraced"]
head = ["program", "untraced ms"] + [label(s) for s in traced]
rows = []
worst = {}
for name in order:
    base = runs.get((name, "untraced"), {"us": []})["us"]
    b = statistics.median(base) if base else None
    row = [name, "%.0f" % (b / 1000) if b else "failed"]
    for s in traced:
        r = runs.get((name, s))
        if not r or not r["us"] or not b:
            row.append("failed")
            continue
        m = statistics.median(r["us"])
        ratio = m / b
        worst[s] = max(worst.get(s, 0), ratio)
        rate = statistics.median(r["ev"]) / (m / 1e6) if r["ev"] else 0
        cell = "%.2fx %s ev/s" % (ratio, "%.2gM" % (rate / 1e6) if rate >= 1e5 else "%.3gk" % (rate / 1e3))
        if r["lost"]:
            cell += " (lost %d)" % r["lost"]
        row.append(cell)
    rows.append(row)

widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
fmt = "  ".join("%%-%ds" % w for w in widths)
print(fmt % tuple(head))
for row in rows:
    print(fmt % tuple(row))
for s in traced:
    if s in worst:
        print("worst slowdown at %s: %.2fx" % (label(s), worst[s]))
try:
    rate = [l.split() for l in open(out + "/rate.txt") if len(l.split()) == 4]
except OSError:
    rate = []
best = 0
for pages, ev, dur, lost in rate:
    if ev.isdigit() and dur.isdigit() and int(dur) > 0:
        r = int(ev) / (int(dur) / 1e6)
        print("event rate, seq scan of %s pages at 1 ms: %.0f events/s, %s lost" % (pages, r, lost))
        if lost == "0":
            best = max(best, r)
print("highest rate without loss: %.0f events/s" % best)
