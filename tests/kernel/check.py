#!/usr/bin/env python3
"""tests/kernel/check.py OUTDIR — check what tests/kernel/guest-test.sh brought back.

Prints one line per check (PASS/FAIL name: detail) and exits 1 if any check failed.
Tests that need the tracer FAIL (never skip) when the kernel lacks it.
The trace text contract is kernel/TRACE-FORMAT.md.
"""
import os
import re
import sys
from collections import defaultdict

DEBUG = "--debug" in sys.argv[1:]
ARGS = [a for a in sys.argv[1:] if a != "--debug"]
OUT = ARGS[0] if ARGS else "build/vm-test"
results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok), detail))
    print("%s %s%s" % ("PASS" if ok else "FAIL", name, (": " + detail) if detail else ""))
    return ok


def read(name, default=None):
    try:
        with open(os.path.join(OUT, name), errors="replace") as f:
            return f.read()
    except OSError:
        return default


# ---------------------------------------------------------------------------- parsing
HDR = re.compile(r"^\s*(?P<task>.*?)-(?P<pid>\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(?P<cpu>\d+)\]\s+"
                 r"(?:(?P<flags>\S{4,5})\s+)?(?P<ts>\d+\.\d+):\s+(?P<event>[\w.]+):\s?(?P<rest>.*)$")
KV = re.compile(r"(\w+)=(\S*)")
ESC = re.compile(r"\\([0-7]{3})")


def unescape(s):
    """A name or path as the kernel printed it (kernel/TRACE-FORMAT.md), decoded."""
    return ESC.sub(lambda m: chr(int(m.group(1), 8)), s)


class Trace:
    def __init__(self, text):
        self.faults, self.starts, self.ends, self.mmaps, self.munmaps = [], [], [], [], []
        self.stops, self.walks = [], []
        self.malformed, self.lost, self.written, self.entries = [], 0, None, None
        for no, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            if line.startswith("#"):
                m = re.search(r"entries-in-buffer/entries-written:\s*(\d+)/(\d+)", line)
                if m:
                    self.entries, self.written = int(m.group(1)), int(m.group(2))
                continue
            m = re.search(r"CPU:\d+ \[LOST (\d+) EVENTS\]", line)
            if m:
                self.lost += int(m.group(1))
                continue
            m = HDR.match(line)
            if not m:
                self.malformed.append((no, line))
                continue
            ev, rest, ts = m.group("event"), m.group("rest"), float(m.group("ts"))
            kv = dict(KV.findall(rest))
            w = rest.split()
            try:
                if ev == "handle_mm_fault":
                    self.faults.append(dict(ts=ts, tid=int(w[0]), rw=w[1], ip=int(w[2], 16),
                                            addr=int(w[3], 16), kv=kv, no=no))
                    if w[1] not in ("R", "W"):
                        raise ValueError("R/W")
                elif ev == "init_page_access_trace":
                    self.starts.append(dict(ts=ts, comm=unescape(w[1]), kv=kv, hpid=int(m.group("pid")), no=no))
                elif ev == "__reset_page_access_trace":
                    self.ends.append(dict(ts=ts, comm=unescape(w[1]), kv=kv, no=no))
                elif ev == "page_access_mmap":
                    path = unescape(rest.split("path=", 1)[1]) if "path=" in rest else ""
                    self.mmaps.append(dict(ts=ts, pid=int(kv["pid"]), start=int(kv["start"], 16),
                                           end=int(kv["end"], 16), prot=kv.get("prot", ""),
                                           reason=kv.get("reason", ""), path=path, no=no))
                elif ev == "page_access_stop":
                    self.stops.append(dict(ts=ts, pid=int(kv["pid"]), reason=kv["reason"], no=no))
                elif ev == "page_access_walk":
                    self.walks.append(dict(ts=ts, hpid=int(m.group("pid")), task=m.group("task").strip(),
                                           pid=int(kv["pid"]), pages=int(kv["pages"]),
                                           next=int(kv["next"], 16), no=no))
                elif ev == "page_access_munmap":
                    self.munmaps.append(dict(ts=ts, pid=int(kv["pid"]), start=int(kv["start"], 16),
                                             end=int(kv["end"], 16), no=no))
            except (IndexError, ValueError, KeyError):
                self.malformed.append((no, line))

    def count(self):
        return (len(self.faults) + len(self.starts) + len(self.ends) + len(self.mmaps) + len(self.munmaps)
                + len(self.stops) + len(self.walks))


class Prog:
    """The lines a test program printed (see tests/kernel/ktest.h)."""

    def __init__(self, text):
        self.text = text or ""
        self.lines = [l.split() for l in self.text.splitlines() if l.strip()]
        self.pid, self.iprange, self.regions, self.result = None, None, {}, None
        self.region_ips = {}  # region -> the iprange of the image that printed it (exec)
        self.region_pid = {}  # region -> the process whose address space it is in
        for w in self.lines:
            if w[0] == "prog":
                self.pid = int(w[2].split("=")[1])
            elif w[0] == "iprange":
                self.iprange = (int(w[1], 16), int(w[2], 16))
            elif w[0] == "region":
                self.regions[w[1]] = (int(w[2], 16), int(w[3], 16))
                self.region_ips[w[1]] = self.iprange
                self.region_pid[w[1]] = int(w[4][4:]) if len(w) > 4 and w[4].startswith("pid=") else self.pid
            elif w[0] == "result" and self.result is None:
                self.result = " ".join(w[1:])

    def get(self, key):
        return [w for w in self.lines if w[0] == key]


def kvint(line_words, key):
    for w in line_words:
        if w.startswith(key + "="):
            return int(w.split("=", 1)[1])
    return None


def in_region(f, r):
    return r[0] <= f["addr"] < r[1]


def pages(r):
    return range(r[0] >> 12, r[1] >> 12)


# ---------------------------------------------------------------------------- general
if not check("vm.results", os.path.isfile(os.path.join(OUT, "status")), "results from the VM in " + OUT):
    sys.exit(1)
check("vm.guest-script", read("status", "").strip() == "0", "guest-test.sh status " + read("status", "").strip())
dmesg = read("dmesg.txt", "")
bad = [l for l in dmesg.splitlines()
       if re.search(r"WARNING:|BUG:|Oops|Bad page|general protection|Kernel panic|kernel BUG|"
                    r"Call Trace|RIP:|page dumped because|nonzero mapcount|swap_free|"
                    r"Bad rss-counter|bad pte|corrupted|KASAN|possible circular locking|"
                    r"inconsistent lock state|possible recursive locking|lock held when returning|"
                    r"suspicious RCU usage|rcu_.*stall|RCU stall|self-detected stall|"
                    r"sleeping function called from invalid context|DEBUG_LOCKS_WARN|"
                    r"hung_task|blocked for more than", l)]
check("dmesg.clean", not bad, "; ".join(bad[:5]) if bad else "no WARN/BUG/oops/Bad page, no KASAN, "
      "lockdep or RCU stall report")
if DEBUG:
    # The debug kernel really ran with its checks on (kernel/debug.fragment, numa=fake=2).
    on = {"KASAN": "KernelAddressSanitizer initialized", "lockdep": "Lock dependency validator",
          "fake NUMA": "Faking node"}
    missing = [k for k, v in on.items() if v not in dmesg]
    nodes = len((read("numa_nodes", "") or "").split())
    check("debug.kernel-checks-on", not missing and nodes == 2 and read("numa_balancing", "").strip() == "1",
          "missing in dmesg: %s; %d NUMA nodes, kernel.numa_balancing %s" % (
              missing or "nothing", nodes, read("numa_balancing", "?").strip()))

tracer = read("tracer", "").strip() == "yes"
NOTRACER = "kernel lacks /proc/trace_page_access (CONFIG_TRACE_PAGE_ACCESS) — uname " + read("uname", "?").strip()
check("tracer.present", tracer, "/proc/trace_page_access exists" if tracer else NOTRACER)
# make vm-test boots the kernel of the linux-image package (kernel/deb-vmlinuz.sh).
if read("package") is not None:
    deb, release = (read("package").split() + ["?", "?"])[:2]
    uname = read("uname", "?").strip()
    check("package.booted", uname == release and release.endswith("-pat"),
          "uname -r %s; /boot/vmlinuz-%s of %s" % (uname, release, deb))
events = set(read("events.txt", "").split()) if "No such file" not in read("events.txt", "") else set()
want_events = {"init_page_access_trace", "handle_mm_fault", "__reset_page_access_trace",
               "page_access_mmap", "page_access_munmap"}
check("tracer.events", want_events <= events,
      "page_access events: " + (" ".join(sorted(events)) if events else "none")
      + ("" if want_events <= events else "; missing " + " ".join(sorted(want_events - events))))
interval = read("interval", "").strip()
interval = "missing" if "can't open" in interval or "No such file" in interval else interval
check("tracer.interval-sysctl", interval == "1000", "vm.page_access_trace_interval_us = " + interval[:80])
if read("interval.set") is not None:
    check("tracer.interval-set", read("interval.set").strip() == "20000",
          "after writing 20000: " + read("interval.set").strip())
else:
    check("tracer.interval-set", False, "/proc/sys/vm/page_access_trace_interval_us not writable")

# ---------------------------------------------------------------------------- proc
proc = read("proc.txt", "")
sections = {}
cur = None
for l in proc.splitlines():
    if l.startswith("## "):
        cur = l[3:].strip()
        sections[cur] = []
    elif cur:
        sections[cur].append(l)


def listing(sec):
    return [l[5:] for l in sections.get(sec, []) if l.startswith("list ")]


def writes(sec):
    return {l.split(":", 1)[0].split(" ", 2)[2]: l.rsplit(": ", 1)[1]
            for l in sections.get(sec, []) if l.startswith("write ")}


def proc_check(name, ok, detail):
    check("proc." + name, tracer and ok, detail if tracer else NOTRACER)


proc_check("initial-empty", listing("initial") == [], "initial list %r" % listing("initial"))
nr = writes("nonroot")
proc_check("nonroot-refused", nr.get("nonroot") in ("EACCES", "EPERM") and nr.get("") in ("EACCES", "EPERM")
           and "nonroot" not in listing("nonroot"), "uid 65534 writes: %r" % nr)
mode = " ".join(sections.get("mode", []))
proc_check("mode-0600", re.match(r"-rw------- ", mode) is not None, mode)
nrr = sections.get("nonroot-read", [])
proc_check("nonroot-cannot-read", nrr and nrr[0] == "read: open EACCES", "uid 65534 reads: %r" % nrr)
# A descriptor opened without CAP_SYS_ADMIN cannot tag, even when its writer has it.
pf = [l for l in sections.get("passfd", []) if l.startswith("passfd ")]
proc_check("passed-fd-cannot-tag", pf == ["passfd passedname: open ok, write EPERM"]
           and "passedname" not in listing("passfd"), "%r, list %r" % (pf, listing("passfd")))
d = writes("dup")
proc_check("duplicates-ignored", listing("dup") == ["dupname"] and all(v == "ok" for v in d.values()),
           "writes %r, list %r" % (d, listing("dup")))
proc_check("clear", listing("clear") == [] and writes("clear").get("") == "ok", "after clear: %r" % listing("clear"))
inv = writes("invalid")
proc_check("invalid-names", inv and all(v == "EINVAL" for v in inv.values()) and listing("invalid") == [],
           "writes %s, list %r" % ({k[:12]: v for k, v in inv.items()}, listing("invalid")))
fill = " ".join(sections.get("fill", []))
fl = listing("fill")
proc_check("32-names", "fill 32: ok" in fill and sorted(fl) == sorted("name%d" % i for i in range(1, 33)),
           "%s; %d names listed" % ([l for l in sections.get("fill", []) if l.startswith("fill")], len(fl)))
proc_check("33rd-enospc", writes("fill").get("name33") == "ENOSPC", "name33: %s" % writes("fill").get("name33"))
proc_check("dup-when-full", writes("fill").get("name5") == "ok", "re-adding name5 to a full list: %s"
           % writes("fill").get("name5"))
proc_check("clear-full", listing("clear2") == [], "after clear: %r" % listing("clear2"))
cl = listing("concurrent")
proc_check("concurrent-writers", sorted(cl) == sorted("%s%d" % (p, i) for p in ("c1_", "c2_", "c3_", "c4_")
                                                     for i in range(1, 9)),
           "4 writers x 8 names: %d listed, %d distinct" % (len(cl), len(set(cl))))
rc = [l for l in proc.splitlines() if l.startswith("read-consistent")]
proc_check("read-small-buffer", rc and all(l.endswith("yes") for l in rc),
           "7-byte reads equal one large read in %d/%d listings" % (sum(l.endswith("yes") for l in rc), len(rc)))
sh = sections.get("shell", [])
proc_check("shell-echo-cat", "echo-status 0" in sh and "shellname" in sh and "clear-status 0" in sh
           and sh.index("clear-status 0") == len(sh) - 1, "transcript %r" % sh)


# ---------------------------------------------------------------------------- programs
def prog_run(label):
    p = Prog(read(label + ".out"))
    ex = (read(label + ".exit") or "?").strip()
    t = Trace(read(label + ".trace", ""))
    return p, ex, t


def check_untraced(name):
    """The program run without being tagged: its result, and no event of it."""
    p, ex, t = prog_run(name + ".untraced")
    check(name + ".untraced-result", ex == "0" and p.result == "ok", "exit %s, result %s" % (ex, p.result))
    check(name + ".untagged-not-traced", t.count() == 0,
          "%d page_access events while %s was not tagged" % (t.count(), name))


for name in ("seqscan", "random", "threads", "fork", "aux", "mmops", "sigbus"):
    check_untraced(name)


def common(name, label=None, comm=None, regions=()):
    """Checks for every traced run; returns (prog, trace, tgids), or None without tracer or
    when the program printed no region of the names in regions."""
    label = label or name
    comm = comm or name
    p, ex, t = prog_run(label)
    check(label + ".result", ex == "0" and p.result == "ok", "exit %s, result %s" % (ex, p.result))
    if not tracer:
        check(label + ".traced", False, NOTRACER)
        return None
    check(label + ".no-malformed", not t.malformed, "%d malformed lines, first: %s" % (
        len(t.malformed), t.malformed[0] if t.malformed else ""))
    lost = t.lost + ((t.written - t.entries) if t.written is not None else 0)
    check(label + ".no-lost-events", lost == 0, "%d lost (entries %s/%s)" % (lost, t.entries, t.written))
    starts = [s for s in t.starts if kvint(["pid=" + s["kv"].get("pid", "-1")], "pid") == p.pid]
    check(label + ".start", len(starts) == 1 and starts[0]["comm"] == comm,
          "START lines for pid %s: %r" % (p.pid, [(s["comm"], s["kv"]) for s in t.starts]))
    ends = [e for e in t.ends if e["kv"].get("pid") == str(p.pid)]
    check(label + ".end", len(ends) == 1 and ends[0]["comm"] == comm,
          "END lines for pid %s: %r" % (p.pid, [(e["comm"], e["kv"]) for e in t.ends]))
    tgids = {int(s["kv"]["pid"]) for s in t.starts if "pid" in s["kv"]}
    own = [f for f in t.faults if int(f["kv"].get("tgid", f["tid"])) in tgids]
    check(label + ".only-traced-tasks", len(own) == len(t.faults) and t.faults,
          "%d fault events, %d of traced tgids %s" % (len(t.faults), len(own), sorted(tgids)))
    kinds = {f["kv"].get("fault") for f in t.faults}
    check(label + ".fault-field", kinds <= {"reset", "demand"} and "demand" in kinds,
          "fault= values %s" % sorted(map(str, kinds)))
    # Every event inside a program region comes from a HOT accessor.
    inreg, badip = [], []
    for name_, r in p.regions.items():
        lo, hi = p.region_ips.get(name_) or (0, 0)
        if (lo, hi) != p.iprange:
            continue  # a region of an image replaced by exec; its addresses may be reused
        for f in t.faults:
            if in_region(f, r) and int(f["kv"].get("tgid", f["tid"])) == p.region_pid[name_]:
                inreg.append(f)
                if not lo <= f["ip"] < hi:
                    badip.append(f)
    check(label + ".ips", inreg and not badip, "%d events in program regions, %d with ip outside the "
          "accessors [%x,%x) %s" % (len(inreg), len(badip), *(p.iprange or (0, 0)),
                                    ["%x@%x" % (f["ip"], f["addr"]) for f in badip[:3]]))
    if not set(regions) <= set(p.regions):
        many = len(regions) > 1
        check(label + (".regions" if many else ".region"), False, "the program printed no region%s %s"
              % ("s" if many else "", " and ".join(regions)))
        return None
    return p, t, tgids


# seqscan: every page exactly once per round, in order, W then R, demand then reset.
# longname: a copy of seqscan whose name is longer than comm; tagged with its full name,
# START/END print the full basename (kernel/README.md, "Names longer than comm").
for label, npages, rounds, comm in (("seqscan", 256, 4, "seqscan"), ("seqscan-20ms", 64, 2, "seqscan"),
                                    ("longname", 16, 1, "seqscan_with_a_long_name")):
    if read(label + ".out") is None:
        check(label + ".ran", False, "no output (the guest script did not run it)" if tracer else NOTRACER)
        continue
    c = common("seqscan", label, comm)
    if not c:
        check(label + ".rounds", False, NOTRACER)
        continue
    p, t, _ = c
    r = p.regions["scan"]
    ev = [f for f in t.faults if in_region(f, r)]
    problems = []
    rereset = 0
    for rnd in range(rounds + 1):
        e = [f for f in ev if int(f["kv"].get("aux", -1)) == rnd]
        pg = [f["addr"] >> 12 for f in e]
        want_rw = "W" if rnd == 0 else "R"
        want_kind = "demand" if rnd == 0 else "reset"
        # A page may fault twice in a round when a reset walk lands between the fault and
        # the retry of the faulting instruction (the walker races with the scan; seen under
        # TCG). Such a re-fault follows the first one directly (no other page of the region
        # in between); it must stay rare. Anything else is a duplicate report.
        firsts, bad_dup, dups = [], 0, 0
        for i, f in enumerate(e):
            k = f["addr"] >> 12
            if k in pg[:i]:
                dups += 1
                if pg[i - 1] != k or pg[:i].count(k) > 1:
                    bad_dup += 1
            else:
                firsts.append(f)
        if dups > max(2, len(pages(r)) // 20):
            bad_dup += dups
        rereset += dups - bad_dup
        fpg = [f["addr"] >> 12 for f in firsts]
        if set(pg) != set(pages(r)) or bad_dup:
            missing = set(pages(r)) - set(pg)
            problems.append("round %d: %d events, %d pages missing, %d duplicates not explained by a "
                            "walk between fault and retry" % (rnd, len(pg), len(missing), bad_dup))
        elif fpg != sorted(fpg):
            problems.append("round %d: not in address order" % rnd)
        e = firsts  # R/W and the fault kind of each page's first event in the round
        if any(f["rw"] != want_rw for f in e):
            problems.append("round %d: %d events not %s" % (rnd, sum(f["rw"] != want_rw for f in e), want_rw))
        if any(f["kv"].get("fault") != want_kind for f in e):
            problems.append("round %d: %d events not fault=%s" % (rnd, sum(f["kv"].get("fault") != want_kind
                                                                          for f in e), want_kind))
        if any(f["tid"] != p.pid for f in e):
            problems.append("round %d: events of another pid" % rnd)
    stray = [f for f in ev if int(f["kv"].get("aux", -1)) not in range(rounds + 1)]
    if stray:
        problems.append("%d events with unexpected aux" % len(stray))
    check(label + ".once-per-interval", not problems,
          "; ".join(problems[:4]) if problems else "%d pages x %d rounds: each page once per round, "
          "W/demand then R/reset, in address order (%d re-faults after a walk between fault and retry)"
          % (len(pages(r)), rounds + 1, rereset))
if tracer and read("bystander.out") is not None:
    b = Prog(read("bystander.out"))
    p, _, t = prog_run("seqscan")
    n = [f for f in t.faults if f["tid"] == b.pid or f["kv"].get("tgid") == str(b.pid)]
    check("seqscan.bystander-untraced", b.pid and not n and b.result == "ok",
          "untagged process %s running meanwhile: %d events, result %s" % (b.pid, len(n), b.result))

# Sampling (issue 14). The SHARDS rule of kernel/README.md, recomputed here: a page is sampled
# at shift k when the top k bits of (vpn * GOLDEN_RATIO_64) mod 2^64 are zero.
GOLDEN_RATIO_64 = 0x61C8864680B583EB


def sampled(vpn, k):
    return k == 0 or ((vpn * GOLDEN_RATIO_64) & ((1 << 64) - 1)) >> (64 - k) == 0


def sample_checks(label, k, comm, rounds):
    """A seqscan traced at shift k: START says k, every event is of a sampled page, and the
    region's events are exactly its sampled pages, each once per round. Returns
    (events in the region, pages in the region, sampled pages) or None."""
    if read(label + ".out") is None:
        check(label + ".ran", False, "no output (the guest script did not run it)" if tracer else NOTRACER)
        return None
    c = common("seqscan", label, comm)
    if not c:
        return None
    p, t, _ = c
    st = [s for s in t.starts if s["kv"].get("pid") == str(p.pid)]
    check(label + ".start-shift", st and st[0]["kv"].get("sample_shift") == str(k),
          "START of %s: %r" % (p.pid, [s["kv"] for s in st]))
    bad = [f for f in t.faults if not sampled(f["addr"] >> 12, k)]
    check(label + ".hash-rule", t.faults and not bad, "%d of %d events on pages not sampled at shift %d "
          "(%d of them demand faults) %s" % (len(bad), len(t.faults), k,
                                            sum(f["kv"].get("fault") == "demand" for f in bad),
                                            ["%x" % f["addr"] for f in bad[:3]]))
    r = p.regions["scan"]
    want = {v for v in pages(r) if sampled(v, k)}
    ev = [f for f in t.faults if in_region(f, r)]
    problems = []
    for rnd in range(rounds + 1):
        e = [f for f in ev if int(f["kv"].get("aux", -1)) == rnd]
        got = {f["addr"] >> 12 for f in e}
        if got != want:
            problems.append("round %d: %d pages with events, %d sampled, %d missing, %d not sampled"
                            % (rnd, len(got), len(want), len(want - got), len(got - want)))
        kind = "demand" if rnd == 0 else "reset"
        first = {}
        for f in e:
            first.setdefault(f["addr"] >> 12, f)
        if any(f["kv"].get("fault") != kind for f in first.values()):
            problems.append("round %d: first events not fault=%s" % (rnd, kind))
    unsampled = len(pages(r)) - len(want)
    check(label + ".region-pages", not problems, "; ".join(problems) if problems else
          "%d of %d pages sampled, each in all %d rounds; no event of the %d unsampled pages the "
          "program wrote (demand faults included)" % (len(want), len(pages(r)), rounds + 1, unsampled))
    return len(ev), len(pages(r)), len(want)


sp = read("sample.proc")
if sp is None:
    check("sample.sysctl", False, "no transcript of page_access_trace_sample_shift" if tracer else NOTRACER)
else:
    got = {w[1]: (w[2], w[4]) for w in (l.split() for l in sp.splitlines()) if len(w) == 5 and w[0] == "set"}
    check("sample.sysctl-default", "default 0" in sp.splitlines(), "transcript %r" % sp.splitlines()[:1])
    want = {"17": ("rejected", "0"), "4294967296": ("rejected", "0"), "-1": ("rejected", "0"),
            "x": ("rejected", "0"), "16": ("ok", "16"), "0": ("ok", "0")}
    check("sample.sysctl-range", got == want, "writes (result, value after): %r" % got)
counts = {}
for k in (0, 4, 6):
    r = sample_checks("sample-%d" % k, k, "seqscan", 2)
    if r:
        counts[k] = r
if 0 in counts:
    n0 = counts[0][0]
    for k in (4, 6):
        if k not in counts:
            continue
        nk, npages, nsamp = counts[k]
        exp = npages / 2 ** k
        sd = (npages * 2 ** -k * (1 - 2 ** -k)) ** 0.5
        # The sampled set of a region depends on where it was mapped: binomial, 4.5 sigma.
        check("sample-%d.fraction" % k, abs(nsamp - exp) <= 4.5 * sd and nsamp > 0,
              "%d of %d pages sampled, expected %.1f +- %.1f (4.5 sd)" % (nsamp, npages, exp, 4.5 * sd))
        # Events: each sampled page as often as in the full run (re-faults aside, < 5 %).
        ratio = (nk / n0) / (nsamp / npages) if n0 and nsamp else 0
        check("sample-%d.event-count" % k, 0.95 <= ratio <= 1.05,
              "%d region events against %d at shift 0: %.4f = 1/%.1f; the sampled pages' share is "
              "%d/%d; ratio %.3f" % (nk, n0, nk / n0 if n0 else 0, n0 / nk if nk else 0, nsamp, npages,
                                     ratio))
if read("sample-latch.out") is not None:
    check("sample-latch.sysctl-changed", (read("sample-latch.sysctl") or "").strip().endswith(": 0"),
          (read("sample-latch.sysctl") or "").strip())
    p, _, t = prog_run("sample-latch")
    shifts = [s["kv"].get("sample_shift") for s in t.starts]
    mine = [s for s in t.starts if s["kv"].get("pid") == str(p.pid)]
    check("sample-latch.inherited", shifts and set(shifts) == {"4"} and mine and mine[0]["kv"].get("ppid")
          in {s["kv"].get("pid") for s in t.starts},
          "%d START lines, sample_shift %s; seqscan's START %r" % (len(shifts), sorted(set(map(str, shifts))),
                                                                 [s["kv"] for s in mine]))
    sample_checks("sample-latch", 4, "busybox_latch", 1)
elif tracer:
    check("sample-latch.ran", False, "no output (the guest script did not run it)")

# random: the pages in the trace are the touched ones, first access kind, W iff written.
c = common("random")
if c:
    p, t, _ = c
    r = p.regions["rand"]
    ev = [f for f in t.faults if in_region(f, r)]
    touched = {int(w[1], 16) >> 12: (w[2][6], w[3][8] == "1") for w in p.get("touched")}
    byp = defaultdict(list)
    for f in ev:
        byp[f["addr"] >> 12].append(f)
    check("random.pages", set(byp) == set(touched),
          "%d pages touched, %d in trace, %d missing, %d extra" % (len(touched), len(byp),
                                                                   len(set(touched) - set(byp)),
                                                                   len(set(byp) - set(touched))))
    wrong_first = [pg for pg in touched if byp.get(pg) and byp[pg][0]["rw"] != touched[pg][0]]
    check("random.first-access-rw", not wrong_first, "%d pages whose first event has the wrong R/W" % len(wrong_first))
    wrong_w = [pg for pg in touched if byp.get(pg) and any(f["rw"] == "W" for f in byp[pg]) != touched[pg][1]]
    check("random.writes", not wrong_w, "%d pages where W events disagree with writes" % len(wrong_w))
    check("random.reset-faults", any(f["kv"].get("fault") == "reset" for f in ev),
          "%d reset faults" % sum(f["kv"].get("fault") == "reset" for f in ev))

# threads: each region is written by its thread only, with that thread's pid and aux.
c = common("threads")
if c:
    p, t, _ = c
    problems = []
    threads = {int(w[1]): (kvint(w, "tid"), kvint(w, "aux")) for w in p.get("thread")}
    for i, (tid, aux) in threads.items():
        r = p.regions["t%d" % i]
        ev = [f for f in t.faults if in_region(f, r)]
        if {f["addr"] >> 12 for f in ev} != set(pages(r)):
            problems.append("t%d: pages missing" % i)
        if any(f["tid"] != tid for f in ev):
            problems.append("t%d: %d events not from tid %d" % (i, sum(f["tid"] != tid for f in ev), tid))
        if any(f["kv"].get("aux") != str(aux) for f in ev):
            problems.append("t%d: aux %s != %d" % (i, sorted({f["kv"].get("aux") for f in ev}), aux))
        if any(f["kv"].get("tgid") != str(p.pid) for f in ev):
            problems.append("t%d: tgid != %d" % (i, p.pid))
    check("threads.own-pids", len(threads) == 4 and not problems,
          "; ".join(problems[:4]) if problems else "4 threads: events carry their tid, tgid and aux")
    check("threads.one-start", len(t.starts) == 1, "%d START lines (threads share the process)" % len(t.starts))

# fork: the child has its own START (ppid=parent) and END, and its own events.
c = common("fork")
if c:
    p, t, tgids = c
    ch = p.get("child")
    cpid = kvint(ch[0], "pid") if ch else None
    cs = [s for s in t.starts if s["kv"].get("pid") == str(cpid)]
    check("fork.child-start", cpid and len(cs) == 1 and cs[0]["kv"].get("ppid") == str(p.pid),
          "child %s START %r" % (cpid, [s["kv"] for s in cs]))
    ce = [e for e in t.ends if e["kv"].get("pid") == str(cpid)]
    check("fork.child-end", len(ce) == 1, "child %s: %d END lines" % (cpid, len(ce)))
    r = p.regions.get("child")
    ev = [f for f in t.faults if r and in_region(f, r) and f["kv"].get("tgid") == str(cpid)]
    check("fork.child-events", r and ev and all(f["tid"] == cpid for f in ev)
          and {f["addr"] >> 12 for f in ev} == set(pages(r)),
          "child region: %d events, pids %s" % (len(ev), sorted({f["tid"] for f in ev})))
    pr = p.regions["parent"]
    half = (pr[0], pr[0] + (pr[1] - pr[0]) // 2)
    cw = [f for f in t.faults if in_region(f, half) and f["tid"] == cpid and f["rw"] == "W"]
    check("fork.child-cow", {f["addr"] >> 12 for f in cw} == set(pages(half)),
          "child's writes to the parent's first half: %d pages of %d" % (len({f["addr"] >> 12 for f in cw}),
                                                                          len(pages(half))))
    check("fork.child-result", any(w[1] == "ok" for w in p.get("child-result")), "child says %s" % p.get("child-result"))
    sp = p.get("spawn")
    spid = kvint(sp[0], "pid") if sp else None
    check("fork.spawn-child", spid and any(s["kv"].get("pid") == str(spid) and s["kv"].get("ppid") == str(p.pid)
                                           for s in t.starts)
          and any(e["kv"].get("pid") == str(spid) for e in t.ends),
          "posix_spawn (vfork+exec) child %s: START %r, END %d" % (
              spid, [s["kv"] for s in t.starts if s["kv"].get("pid") == str(spid)],
              sum(e["kv"].get("pid") == str(spid) for e in t.ends)))

# aux: events of each phase carry the phase's aux.
c = common("aux")
if c:
    p, t, _ = c
    problems = []
    for w in p.get("phase"):
        ph, aux = int(w[1]), kvint(w, "aux")
        ev = [f for f in t.faults if in_region(f, p.regions["p%d" % ph])]
        vals = sorted({f["kv"].get("aux") for f in ev}, key=str)
        if not ev or vals != [str(aux)]:
            problems.append("phase %d: aux values %s, want %d" % (ph, vals, aux))
        if not any(f["kv"].get("fault") == "reset" for f in ev):
            problems.append("phase %d: no reset faults" % ph)
    check("aux.values", len(p.get("phase")) == 3 and not problems and not p.get("aux-error"),
          "; ".join(problems) if problems else "3 phases with aux 1007, 2007, 3007" + (
              "; prctl errors %r" % p.get("aux-error") if p.get("aux-error") else ""))

# mmops: results, mapping events, fork child, events on moved/shared/brk regions.
c = common("mmops")
if c:
    p, t, tgids = c
    pid = p.pid

    def covered(lo, hi, evs):
        return [e for e in evs if e["pid"] == pid and e["start"] <= lo and hi <= e["end"]]

    mm = t.mmaps
    check("mmops.exec-event", any(e["reason"] == "exec" and "mmops" in e["path"] and e["pid"] == pid for e in mm),
          "%d exec mmap events with path mmops" % sum(e["reason"] == "exec" and "mmops" in e["path"] for e in mm))
    for reg in ("a", "f", "s"):
        lo, hi = p.regions[reg]
        ok = [e for e in covered(lo, hi, mm) if e["reason"] == "mmap"]
        check("mmops.mmap-event-" + reg, ok, "region %s [%x,%x): %d covering mmap events" % (reg, lo, hi, len(ok)))
    f = p.regions["f"]
    fe = [e for e in covered(*f, mm) if e["reason"] == "mmap"]
    check("mmops.mmap-path", fe and "mmops.dat" in fe[-1]["path"] and "s" in fe[-1]["prot"],
          "shared file mapping: %r" % ([(e["prot"], e["path"]) for e in fe]))
    for w in p.get("mremap"):
        lo, hi = int(w[3], 16), int(w[4], 16)
        ok = [e for e in covered(lo, hi, mm) if e["reason"] == "mremap"]
        check("mmops.mremap-event", ok, "new range [%x,%x): %d mremap events" % (lo, hi, len(ok)))
    for w in p.get("brk"):
        lo, hi = int(w[1], 16), int(w[2], 16)
        ok = [e for e in mm if e["pid"] == pid and e["reason"] == "brk" and e["end"] >= hi and e["start"] < hi]
        check("mmops.brk-event", ok, "brk growth to %x: %d brk events" % (hi, len(ok)))
    for w in p.get("munmap"):
        lo, hi = int(w[1], 16), int(w[2], 16)
        ok = covered(lo, hi, t.munmaps)
        check("mmops.munmap-event-%x" % lo, ok, "munmap [%x,%x): %d covering munmap events" % (lo, hi, len(ok)))
    s = p.regions["s"]
    sm = [e for e in covered(*s, mm) if e["reason"] == "mmap"]
    su = covered(*s, t.munmaps)
    # Region s reuses addresses of f (and of a before it): only faults after f's munmap.
    fun = [e for e in t.munmaps if (e["start"], e["end"]) == p.regions["f"]]
    after = fun[-1]["ts"] if fun else 0
    sf = [f for f in t.faults if in_region(f, s) and f["ts"] >= after]
    check("mmops.short-lived-order", sm and su and sf and sm[-1]["ts"] <= min(f["ts"] for f in sf)
          and max(f["ts"] for f in sf) <= su[-1]["ts"] and len({f["addr"] >> 12 for f in sf}) == 4,
          "short-lived mapping: mmap, %d faults, munmap in order" % len(sf))
    for reg in ("a", "moved", "f", "brk"):
        r = p.regions.get(reg)
        ev = [f for f in t.faults if r and in_region(f, r)]
        check("mmops.events-" + reg, ev, "%d events in region %s" % (len(ev), reg))
    a = p.regions["a"]
    ra = [f for f in t.faults if in_region(f, a) and f["rw"] == "R"]
    check("mmops.read-after-mprotect", len({f["addr"] >> 12 for f in ra}) == len(pages(a)),
          "%d of %d pages of region a read (R events) while PROT_READ" % (len({f["addr"] >> 12 for f in ra}),
                                                                           len(pages(a))))
    for w in p.get("pagemap") + p.get("smaps"):
        check("mmops.%s" % w[0] + ("-" + w[1] if w[0] == "pagemap" else ""), True, " ".join(w))
    ch = p.get("child")
    cpid = kvint(ch[0], "pid") if ch else None
    check("mmops.fork-child-traced", cpid and any(s["kv"].get("pid") == str(cpid) for s in t.starts)
          and any(e["kv"].get("pid") == str(cpid) for e in t.ends), "child %s START and END" % cpid)

# exec: a traced process that execs an untagged program stays traced, under its START name.
c = common("exec")
if c:
    p, t, _ = c
    wipe = [e for e in t.munmaps if e["pid"] == p.pid and e["start"] == 0]
    ex = [e for e in t.mmaps if e["pid"] == p.pid and e["reason"] == "exec" and "seqscan" in e["path"]]
    check("exec.new-image", len(t.starts) == 1 and wipe and ex and wipe[0]["ts"] <= ex[0]["ts"],
          "%d START, %d munmap start=0, %d exec mappings of seqscan after it" % (len(t.starts), len(wipe), len(ex)))
    r = p.regions.get("scan")
    ev = [f for f in t.faults if r and in_region(f, r)]
    check("exec.new-image-traced", r and {f["addr"] >> 12 for f in ev} == set(pages(r)),
          "events on %d of %d pages of the exec'd seqscan" % (len({f["addr"] >> 12 for f in ev}),
                                                               len(pages(r)) if r else 0))

# sigbus: reads past the end of a file end in SIGBUS; those faults are not accesses.
c = common("sigbus", regions=("ok", "beyond"))
if c:
    p, t, _ = c
    caught = [int(w[1]) for w in p.get("sigbus")]
    bad = [f for f in t.faults if in_region(f, p.regions["beyond"])]
    good = [f for f in t.faults if in_region(f, p.regions["ok"])]
    check("sigbus.failed-faults-not-reported", caught and caught[0] > 0 and not bad and good,
          "%s SIGBUS caught, %d events on the pages that faulted with SIGBUS (0 expected), %d on the "
          "file's page" % (caught[0] if caught else "no", len(bad), len(good)))

# setuid / setgid: a traced process execs a set-ID program: tracing stops at that exec.
for label in ("setuid", "setgid"):
    p, ex, t = prog_run(label)
    if not tracer:
        check(label + ".traced", False, NOTRACER)
        continue
    creds = p.get("creds")
    setid = creds and (creds[0][2] == "0" if label == "setuid" else creds[0][4] == "0")
    check(label + ".result", ex == "0" and p.result == "ok" and setid,
          "exit %s, result %s, creds (uid euid gid egid) of the exec'd program %s"
          % (ex, p.result, creds[0][1:] if creds else None))
    pre, scan = p.regions.get("pre"), p.regions.get("scan")
    stops = [s for s in t.stops if s["pid"] == p.pid]
    ends = [e for e in t.ends if e["kv"].get("pid") == str(p.pid)]
    check(label + ".stop-event", len(stops) == 1 and stops[0]["reason"] == "setid" and len(ends) == 1
          and stops[0]["no"] < ends[0]["no"] if ends else False,
          "page_access_stop %r, %d END" % ([(s["pid"], s["reason"]) for s in t.stops], len(ends)))
    before = [f for f in t.faults if pre and in_region(f, pre)]
    after = [f for f in t.faults if f["ts"] > (stops[0]["ts"] if stops else 0)
             and int(f["kv"].get("tgid", f["tid"])) == p.pid]
    maps = [m for m in t.mmaps if m["pid"] == p.pid and m["ts"] >= (stops[0]["ts"] if stops else 0)]
    check(label + ".not-traced-after-exec", pre and scan and before and stops and not after and not maps,
          "%d events in region pre (traced, also after setresuid), %d events and %d mapping events of "
          "the process after the stop" % (len(before), len(after), len(maps)))

# The reset walk runs in the traced process: every page_access_walk event is printed by
# the process's own thread (task spin, its pid), none while it sleeps, each batch bounded.
c = common("walk", comm="spin", regions=("spin",))
if c:
    p, t, _ = c
    own = [w for w in t.walks if w["pid"] == p.pid]
    others = [w for w in t.walks if w["hpid"] != p.pid or w["task"] != "spin"]
    check("walk.in-the-process", own and not others and len(own) == len(t.walks),
          "%d walk batches, %d run by another task (%s)" % (len(t.walks), len(others),
                                                          sorted({w["task"] for w in others})[:3]))
    s0, s1 = [float(w[1]) for w in p.get("sleep0")], [float(w[1]) for w in p.get("sleep1")]
    if s0 and s1:
        asleep = [w for w in own if s0[0] + 0.05 < w["ts"] < s1[0] - 0.01]
        after = [w for w in own if w["ts"] > s1[0]]
        check("walk.not-while-asleep", not asleep and after and any(w["ts"] < s0[0] for w in own),
              "%d batches in the %.0f ms the program slept (0 expected), %d before, %d after"
              % (len(asleep), (s1[0] - s0[0]) * 1e3, sum(w["ts"] < s0[0] for w in own), len(after)))
    else:
        check("walk.not-while-asleep", False, "the program printed no sleep0/sleep1")
    check("walk.batches-bounded", own and max(w["pages"] for w in own) <= 8192,
          "largest batch %d pages" % max([w["pages"] for w in own] or [0]))

# The system-wide ceiling: page_access_trace_max_pages_per_sec = 4000 while 2048 pages
# are rewritten for 1 s. Pages reset between the first and the last batch may not exceed
# 4000 per second plus the bucket's one second; the ceiling must also bind (uncapped,
# every tick would reset the 2048 pages).
check("ceiling.default", (read("max_rate") or "").strip() == "1048576",
      "page_access_trace_max_pages_per_sec %r" % (read("max_rate") or "").strip())
c = common("ceiling", comm="spin", regions=("spin",))
if c:
    p, t, _ = c
    own = [w for w in t.walks if w["pid"] == p.pid]
    if len(own) >= 2:
        span = own[-1]["ts"] - own[0]["ts"]
        total = sum(w["pages"] for w in own)
        rounds = [int(w[2]) for w in p.get("rounds") if w[1] == "spin"]
        check("ceiling.pages-per-second", total <= 4000 * (span + 1) and rounds and
              rounds[0] * 2048 > 3 * 4000 * (span + 1),
              "%d pages reset in %d batches over %.2f s (at most %d allowed), while the program "
              "rewrote %d pages" % (total, len(own), span, 4000 * (span + 1),
                                     rounds[0] * 2048 if rounds else 0))
    else:
        check("ceiling.pages-per-second", False, "%d walk batches" % len(own))

# Removing one name stops the processes traced under it (children included) at once;
# clearing the list stops the rest; an unlisted name answers ENOENT.
ctl = (read("untag.ctl") or "").splitlines()
if not tracer:
    check("untag.traced", False, NOTRACER)
elif len(ctl) < 4:
    check("untag.ran", False, "untag.ctl: %r" % ctl)
else:
    t = Trace(read("untag.trace", ""))
    t1, t2 = float(ctl[0]), float([l for l in ctl[1:] if re.match(r"^\d+\.\d+$", l)][0])
    wr_ = {l.split(":", 1)[0].split(" ", 2)[2]: l.rsplit(": ", 1)[1] for l in ctl if l.startswith("write ")}
    check("untag.writes", wr_.get("-spin_a") == "ok" and wr_.get("-nosuchname") == "ENOENT"
          and "list spin_b" not in ctl, "writes %r, list after clearing %r"
          % (wr_, [l for l in ctl if l.startswith("list")]))
    a, b = Prog(read("untag_a.out")), Prog(read("untag_b.out"))
    kid = [kvint(w, "pid") for w in a.get("child")]
    check("untag.results", a.result == "ok" and b.result == "ok" and kid,
          "spin_a %s (child %s), spin_b %s" % (a.result, kid, b.result))
    # "At once": before the script's next step (1 s later; starting pa_ctl alone takes
    # 0.25-0.45 s on the debug kernel), and for spin_b within 1 s of the clearing write.
    for who, pids, when, until in (("a", [a.pid] + kid, t1, t2), ("b", [b.pid], t2, t2 + 1.0)):
        for pid in pids:
            st = [x for x in t.stops if x["pid"] == pid]
            en = [e for e in t.ends if e["kv"].get("pid") == str(pid)]
            ev = [f for f in t.faults if int(f["kv"].get("tgid", f["tid"])) == pid]
            late = [f for f in ev if st and f["ts"] > st[0]["ts"]]
            # A fault that passed the kernel's "still traced?" test just before the stop may be
            # printed right after it (kernel/README.md, Off switch): at most one per thread,
            # within 5 ms. Anything else is an event of a stopped process.
            tids = [f["tid"] for f in late]
            inflight = len(tids) == len(set(tids)) and all(f["ts"] - st[0]["ts"] < 0.005 for f in late)
            before = [f for f in ev if f["ts"] < when]
            check("untag.%s-%s-stopped" % (who, "child" if pid != pids[0] else "main"),
                  len(st) == 1 and st[0]["reason"] == "untagged" and when <= st[0]["ts"] < until
                  and len(en) == 1 and en[0]["no"] > st[0]["no"] and before and inflight,
                  "stop %s at %+.3f s after the write, %d END, %d events before it, %d after the stop%s"
                  % ([x["reason"] for x in st], (st[0]["ts"] - when) if st else float("nan"), len(en),
                     len(before), len(late), " (%s)" % ", ".join("tid %d +%.1f ms" % (
                         f["tid"], 1000 * (f["ts"] - st[0]["ts"])) for f in late) if late else ""))
    still = [f for f in t.faults if int(f["kv"].get("tgid", f["tid"])) == b.pid and t1 + 0.05 < f["ts"] < t2]
    check("untag.other-name-still-traced", still, "%d events of spin_b between removing spin_a and "
          "clearing the list" % len(still))

# escname: a file name with a newline and a fake handle_mm_fault line in it is one
# mapping event whose path decodes to the name; no line is faked.
c = common("escname", regions=("f",))
if c:
    p, t, _ = c
    name = bytes.fromhex(p.get("escpath")[0][1]).decode("latin-1") if p.get("escpath") else None
    maps = [m for m in t.mmaps if m["pid"] == p.pid and m["start"] == p.regions["f"][0]]
    fake = [f for f in t.faults if f["addr"] == 0xdead000]
    raw = read("escname.trace", "")
    check("escname.path", name and maps and maps[0]["path"] == name and not fake
          and "\\012fake-" in raw, "%d mapping events of region f, path %r, %d fake events"
          % (len(maps), maps[0]["path"][:40] if maps else None, len(fake)))
    # The collector reads the same text: the mapping's path comes back whole, and it
    # counts no event that the kernel did not report.
    tools = [os.path.join(os.environ.get("BUILD", "build"), x) for x in ("pacollect", "paanalyze")]
    if not all(os.access(x, os.X_OK) for x in tools):
        check("escname.collector", False, "%s not built (make first)" % " and ".join(tools))
    else:
        import json
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "run.db")
            imp = subprocess.run([tools[0], "-q", "-f", "-o", db, "--input",
                                  os.path.join(OUT, "escname.trace")], capture_output=True, text=True)
            info = subprocess.run([tools[1], "info", "--json", db], capture_output=True, text=True)
        txt = info.stdout
        try:
            doc = json.loads(txt)
        except ValueError:
            doc = None

        def walk(o, key=None):
            """(key, value) of every scalar in a JSON document."""
            if isinstance(o, dict):
                for k, v in o.items():
                    yield from walk(v, k)
            elif isinstance(o, list):
                for v in o:
                    yield from walk(v, key)
            else:
                yield key, o
        kv = list(walk(doc)) if doc is not None else []
        found = name in [v for _, v in kv]
        bad = [v for k, v in kv if k == "malformed_lines"]
        check("escname.collector", imp.returncode == 0 and found and bad == [0],
              "pacollect --input exit %d %s; paanalyze info: the file's path %s among the mappings, "
              "malformed_lines %s" % (imp.returncode, imp.stderr.strip()[:80],
                                      "found" if found else "NOT found", bad))

# escprog: a program name with a backslash and digits in START/END, decoded exactly.
common("escprog", comm="esc\\101name")

# The kernel's own mm selftests, untraced then traced (debug kernel only). A traced run
# must behave as the untraced one: the same exit status and kselftest totals. The tests
# of THP_SKIPS need a transparent huge page, which a traced process does not get (the
# trace has 4 KiB granularity): there, and only there, subtests that passed untraced may
# be skipped traced; nothing may fail that did not fail untraced.
THP_SKIPS = {"cow", "mkdirty", "soft-dirty"}
TOTALS = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)", re.M)


def mm_selftests():
    runs = {}
    for line in (read("mm-selftests.txt", "") or "").splitlines():
        w = line.split()
        if len(w) == 5:
            runs[(w[0], w[1])] = dict(exit=int(w[2]), starts=int(w[3]), secs=int(w[4]))
    tests = sorted({t for t, _ in runs})
    check("mm-selftests.ran", len(tests) >= 20 and "nr_hugepages 32" in (read("mm-selftests.setup", "") or ""),
          "%d tests run; %s" % (len(tests), (read("mm-selftests.setup", "") or "no setup").strip()))
    for t in tests:
        u, tr = runs.get((t, "untraced")), runs.get((t, "traced"))
        if not u or not tr:
            check("mm-selftest." + t, False, "untraced %s, traced %s" % (u, tr))
            continue
        tot = {}
        for mode in ("untraced", "traced"):
            m = TOTALS.findall(read("kst.%s.%s.out" % (t, mode), "") or "")
            tot[mode] = tuple(map(int, m[-1])) if m else None
        a, b = tot["untraced"], tot["traced"]
        same = u["exit"] == tr["exit"] and a == b
        if not same and t in THP_SKIPS and a and b and u["exit"] == tr["exit"]:
            # pass, fail, xfail, xpass, skip, error: only passes turned into skips
            same = (b[1:4] == a[1:4] and b[5] == a[5] and b[0] <= a[0] and a[0] - b[0] == b[4] - a[4])
        check("mm-selftest." + t, same and tr["starts"] >= 1 and u["starts"] == 0 and u["exit"] not in (124, 143),
              "exit %d untraced, %d traced; totals %s untraced, %s traced; %d START traced; %d s, %d s"
              % (u["exit"], tr["exit"], a, b, tr["starts"], u["secs"], tr["secs"]))


# O_DIRECT (debug kernel only, odirect.c on ext4 over a loop device): a direct write
# reads the program's buffer through GUP, which follows the tracer's PROT_NONE PTEs: no
# event; a direct read must write the buffer, so GUP faults each reset page in: one W
# reset event per page, in the system call; the PTEs GUP only read stay reset.
def odirect():
    if read("odirect.untraced.out") is None:
        check("odirect.ran", False, "no output (the guest script did not run it)")
        return
    check_untraced("odirect")
    c = common("odirect", regions=("src",))
    if not c:
        return
    p, t, _ = c
    kr = {w[1]: (int(w[2], 16), int(w[3], 16)) for w in p.get("kregion")}
    s, d = p.regions["src"], kr.get("dst", (0, 0))
    own = [f for f in t.faults if int(f["kv"].get("tgid", 0)) == p.pid]
    w2 = [f for f in own if aux_of(f) == 2 and (in_region(f, s) or in_region(f, d))]
    check("odirect.write-not-seen", not w2,
          "%d events on the 32 buffer pages during the O_DIRECT write (want 0)" % len(w2))
    w3 = [f for f in own if aux_of(f) == 3 and in_region(f, d)]
    ok3 = (sorted(f["addr"] >> 12 for f in w3) == list(pages(d)) and
           all(f["rw"] == "W" and f["kv"].get("fault") == "reset" and f["tid"] == p.pid for f in w3))
    check("odirect.read-faults-in", ok3,
          "O_DIRECT read into 16 reset pages: %d events on %d pages (%s); want one W reset event each"
          % (len(w3), len({f["addr"] >> 12 for f in w3}),
             ", ".join(sorted({"%s %s" % (f["rw"], f["kv"].get("fault")) for f in w3})) or "none"))
    r4 = {f["addr"] >> 12 for f in own if aux_of(f) == 4 and in_region(f, s) and f["rw"] == "R"
          and f["kv"].get("fault") == "reset"}
    check("odirect.write-leaves-reset", r4 == set(pages(s)),
          "%d of %d source pages give an R reset event when the program reads them after the write"
          % (len(r4), len(pages(s))))


# churn (debug kernel only): mmap/mprotect/mremap/MADV_DONTNEED/munmap in 4 threads, a
# fork storm and move_pages() between the fake nodes, at a 100 us interval, while a loop
# tags and untags the program; every result checked by the program itself.
if DEBUG:
    for label in ("churn", "churn-tagloop"):
        p, ex, t = prog_run(label)
        vals = {w[0]: int(w[1]) for w in p.lines if w[0] in ("ops", "forks", "moved") and len(w) > 1}
        check(label + ".result", ex == "0" and p.result == "ok" and vals.get("ops", 0) > 0
              and vals.get("forks", 0) > 0 and vals.get("moved", 0) > 0,
              "exit %s, result %s, %s" % (ex, p.result, vals))
    # mmstress: shared file mappings (tmpfs, ext4 on a loop device), soft-dirty, userfaultfd
    # write-protect, migrate_pages() and a GUP reader, untraced and traced (NOSAVE: START/END).
    check("mmstress.ext4-mounted", " /mnt/ext4 ext4 " in (read("ext4.setup", "") or ""),
          " / ".join((read("ext4.setup", "") or "no ext4.setup").strip().splitlines()[-2:]))
    for label in ("mmstress-tmpfs.untraced", "mmstress-tmpfs", "mmstress-ext4.untraced", "mmstress-ext4"):
        p, ex, t = prog_run(label)
        vals = " ".join(" ".join(w) for w in p.lines if w[0] in ("iterations", "filebad", "dirtybad", "wpfaults",
                                                                   "moved", "gupreads"))
        nodes = [int(w[3]) for w in p.lines if w[0] == "moved" and len(w) > 3] + [None]
        traced = not label.endswith(".untraced")
        st = [s for s in t.starts if s["kv"].get("pid") == str(p.pid)]
        check(label + ".result", ex == "0" and p.result == "ok" and nodes[0] == 2
              and (len(st) == 1 if traced else not t.starts),
              "exit %s, result %s, %s; %d START of it" % (ex, p.result, vals, len(st)))
    # numascan: its pages moved to node 1, away from the CPUs. NUMA balancing scans the
    # untraced program and the one beside the traced run and moves their pages back at
    # hinting faults; it never scans the traced one (its hinting faults would be taken
    # for the tracer's), whose pages stay on node 1.
    def numa_counters(p):
        w = (p.get("numa") or [[]])[0]
        return {k: kvint(w, k) for k in ("scan_seq", "total_faults", "node_faults", "migrated", "node1")}

    for label in ("numascan.untraced", "numascan.bystander"):
        p = Prog(read(label + ".out"))
        c = numa_counters(p)
        # a migration back to node 0 is made by a hinting fault (total_numa_faults is
        # recomputed from decaying buffers and may read 0)
        check(label + ".numa-scanned", p.result == "ok" and (c["scan_seq"] or 0) > 0
              and (c["migrated"] or 0) > 0, "result %s, %s" % (p.result, c))
    p, ex, t = prog_run("numascan")
    c = numa_counters(p)
    r = p.regions.get("numa", (0, 0))
    st = [s for s in t.starts if s["kv"].get("pid") == str(p.pid)]
    resets = [f for f in t.faults if f["kv"].get("fault") == "reset" and in_region(f, r)]
    check("numascan.traced", ex == "0" and p.result == "ok" and len(st) == 1 and resets,
          "exit %s, result %s; %d START of it, %d reset events in its region" % (ex, p.result, len(st), len(resets)))
    check("numascan.not-numa-scanned", c["node1"] == len(pages(r)) and
          all(c[k] == 0 for k in ("scan_seq", "total_faults", "node_faults", "migrated")),
          "NUMA balancing counters of the traced program: %s (%d pages)" % (c, len(pages(r))))
    mm_selftests()
    runs = [l for l in (read("tagloop.out", "") or "").splitlines() if l.startswith("result")]
    check("tagloop.seqscan-runs", runs and all(l == "result ok" for l in runs),
          "%d seqscan runs started while their name was tagged and untagged, %d ok"
          % (len(runs), sum(l == "result ok" for l in runs)))

# stress: mapping churn at a 100 us interval; only START/END lines are kept.
p, ex, t = prog_run("stress")
if read("stress.out") is None:
    check("stress.ran", False, "no output (the guest script did not run it)" if tracer else NOTRACER)
else:
    check("stress.result", ex == "0" and p.result == "ok", "exit %s, result %s" % (ex, p.result))
    st = [s for s in t.starts if s["kv"].get("pid") == str(p.pid)]
    en = [e for e in t.ends if e["kv"].get("pid") == str(p.pid)]
    kids = [s for s in t.starts if s["kv"].get("ppid") == str(p.pid)]
    kids_end = [e for e in t.ends if any(e["kv"].get("pid") == s["kv"].get("pid") for s in kids)]
    check("stress.traced", tracer and len(st) == 1 and len(en) == 1 and kids and len(kids_end) == len(kids),
          "START %d, END %d, %d forked children with %d END" % (len(st), len(en), len(kids), len(kids_end))
          if tracer else NOTRACER)

# ---------------------------------------------------------------------------- mm features
# KSM, userfaultfd, hugetlb and swap under memory pressure (issue 4). Counters the guest
# saved around a run (mmstat in guest-test.sh): "name value..." lines.
def stats(name):
    d = {}
    for l in (read(name) or "").splitlines():
        w = l.split()
        if len(w) >= 2:
            d[w[0]] = w[1:]
    return d


def stat_delta(before, after, key):
    b, a = stats(before).get(key), stats(after).get(key)
    return int(a[0]) - int(b[0]) if a and b else None


def aux_of(f):
    return int(f["kv"].get("aux", -1))


if DEBUG:
    odirect()


for name in ("ksm", "uffd", "huge", "swap"):
    if read(name + ".untraced.out") is None:
        check(name + ".untraced-ran", False, "no output (the guest script did not run it)")
    else:
        check_untraced(name)

# KSM: identical pages of a and b merged by ksmd while traced, then a written (COW break).
c = common("ksm", regions=("a", "b"))
if c:
    p, t, _ = c
    mw = p.get("merged")
    merged = int(mw[0][1]) if mw else 0
    shared = kvint(mw[0], "pages_shared") if mw else None
    check("ksm.merged", merged > 0 and shared and shared > 0,
          "%s (pairs of a/b pages sharing one frame per pagemap; ksm sysfs counters)"
          % (" ".join(mw[0][1:]) if mw else "no 'merged' line"))
    cw = p.get("cow")
    check("ksm.cow-data", cw and kvint(cw[0], "merged") == 0 and kvint(cw[0], "bad") == 0,
          "after writing a: %s" % (" ".join(cw[0][1:]) if cw else "no 'cow' line"))
    a = p.regions["a"]
    wp = {f["addr"] >> 12 for f in t.faults if in_region(f, a) and aux_of(f) == 3 and f["rw"] == "W"
          and f["tid"] == p.pid}
    kinds = sorted({f["kv"].get("fault") for f in t.faults if in_region(f, a) and aux_of(f) == 3})
    kth = [f for f in t.faults if (in_region(f, a) or in_region(f, p.regions["b"])) and aux_of(f) == 2]
    check("ksm.kthread-not-seen", merged > 0 and not kth,
          "%d events on a and b while ksmd (a kernel thread) read and merged their pages (aux 2; want 0)"
          % len(kth))
    check("ksm.cow-writes-traced", wp == set(pages(a)),
          "W events on %d of %d merged pages of a during the COW writes (fault= %s)"
          % (len(wp), len(pages(a)), ",".join(map(str, kinds))))

# userfaultfd: every page of u is first accessed by the main thread, the fault is resolved by
# the handler thread's UFFDIO_COPY, and the access must be reported as a demand fault.
c = common("uffd", regions=("u",))
if c:
    p, t, _ = c
    u = p.regions["u"]
    main = kvint(p.get("main")[0], "tid") if p.get("main") else None
    cp = p.get("uffd")
    check("uffd.copies", cp and kvint(cp[0], "copies") == len(pages(u)) and kvint(cp[0], "bad") == 0,
          "%s for %d pages" % (" ".join(cp[0][1:]) if cp else "no 'uffd' line", len(pages(u))))
    half = u[0] + (u[1] - u[0]) // 2
    problems = []
    for lo, hi, aux, rw in ((u[0], half, 1, "R"), (half, u[1], 2, "W")):
        got = {f["addr"] >> 12 for f in t.faults if lo <= f["addr"] < hi and f["tid"] == main
               and aux_of(f) == aux and f["rw"] == rw and f["kv"].get("fault") == "demand"}
        want = set(range(lo >> 12, hi >> 12))
        if got != want:
            problems.append("%d of %d pages (%s, aux %d) lack a %s demand event of tid %s"
                            % (len(want - got), len(want), "read" if rw == "R" else "written", aux, rw, main))
    check("uffd.demand-events", main and not problems,
          "; ".join(problems) if problems else "each of the %d pages: one %s demand event of the main "
          "thread for the access that took the userfault" % (len(pages(u)), "R/W"))

# hugetlb: private MAP_HUGETLB and a hugetlbfs memfd. The first touch of each huge page is a
# demand fault (hugetlb_no_page()) and is reported once, with the faulting address; the reset
# walk skips hugetlb VMAs, so nothing else in those ranges is reported (kernel/README.md).
c = common("huge")
if c:
    p, t, _ = c
    hr = {w[1]: (int(w[2], 16), int(w[3], 16)) for w in p.get("hregion")}
    hp = p.get("hugepages")
    total, f0, f1 = (kvint(hp[0], k) for k in ("total", "free_before", "free_touched")) if hp else (0, 0, 0)
    check("huge.hugepages-used", len(hr) == 2 and total == 8 and f0 is not None and f1 == f0 - 4,
          "%d hugetlb ranges; HugePages_Total %s, HugePages_Free %s -> %s after touching 2+2 huge pages"
          % (len(hr), total, f0, f1))
    # hpage NAME START END R|W ADDR: every huge page the program touches, and its first access.
    hpg = [(w[1], int(w[2], 16), int(w[3], 16), w[4], int(w[5], 16)) for w in p.get("hpage")]
    inside = all(n in hr and hr[n][0] <= lo and hi <= hr[n][1] and lo <= a < hi for n, lo, hi, _, a in hpg)
    cover = sum(hi - lo for _, lo, hi, _, _ in hpg) == sum(r[1] - r[0] for r in hr.values())
    check("huge.hpages", hr and inside and cover and {rw for *_, rw, _ in hpg} == {"R", "W"},
          "%d huge pages (%s) cover the %d hugetlb ranges" % (
              len(hpg), " ".join("%s:%s" % (n, rw) for n, _, _, rw, _ in hpg), len(hr)))
    inh = [f for f in t.faults if any(in_region(f, r) for r in hr.values())]
    lo_ip, hi_ip = p.iprange or (0, 0)
    problems, first = [], []
    for n, lo, hi, rw, a in hpg:
        ev = [f for f in inh if lo <= f["addr"] < hi]
        dem = [f for f in ev if f["kv"].get("fault") == "demand"]
        good = [f for f in dem if f["tid"] == p.pid and f["rw"] == rw and f["addr"] == a
                and aux_of(f) == 0 and lo_ip <= f["ip"] < hi_ip]
        if len(dem) != 1 or len(good) != 1:
            problems.append("%s huge page %x: %d demand events (%s), want one %s of tid %s at %x, "
                            "aux 0, ip in the accessors" % (n, lo, len(dem), ", ".join(
                                "%s %s %x aux %d tid %d ip %x" % (f["rw"], f["kv"].get("fault"), f["addr"],
                                                                  aux_of(f), f["tid"], f["ip"])
                                for f in dem[:3]) or "none", rw, p.pid, a))
        first += good
    check("huge.first-touch-demand", hpg and not problems, "; ".join(problems) if problems else
          "each of the %d huge pages: exactly one demand event of the main thread at the address of "
          "its first access, with its R/W (%s)" % (len(hpg), " ".join(
              "%s %x" % (f["rw"], f["addr"]) for f in first)))
    rest = [f for f in inh if f not in first]
    check("huge.later-not-traced", hr and not rest,
          "%d other fault events in the hugetlb ranges (later accesses to a huge page, e.g. rounds 1-3 "
          "and the write after the first read, are not traced)%s" % (
              len(rest), ": " + ", ".join("%s %s %x aux %d" % (f["rw"], f["kv"].get("fault"), f["addr"],
                                                               aux_of(f)) for f in rest[:4]) if rest else ""))
    mm = [r for r in hr.values() if any(e["pid"] == p.pid and e["start"] <= r[0] and r[1] <= e["end"]
                                        and e["reason"] == "mmap" for e in t.mmaps)]
    check("huge.mmap-events", hr and len(mm) == len(hr), "%d of %d hugetlb ranges have a page_access_mmap "
          "event" % (len(mm), len(hr)))
    sm = p.regions.get("small")
    rounds = sorted({aux_of(f) for f in t.faults if sm and in_region(f, sm)})
    check("huge.small-traced", rounds == [0, 1, 2, 3],
          "events on the ordinary region in rounds (aux) %s, want 0-3" % rounds)

# Swap under memory pressure: the data survive, pages really went to swap and came back,
# and every swapped-out page the program read back has a demand (swap-in) event.
c = common("swap", regions=("mem",))
if c:
    p, t, _ = c
    mem = p.regions["mem"]
    npg = len(pages(mem))
    out_d = stat_delta("swap.before", "swap.after", "pswpout")
    in_d = stat_delta("swap.before", "swap.after", "pswpin")
    passes = p.get("pass")
    swp = [kvint(w, "swapped") for w in passes]
    check("swap.swapped-out", out_d and out_d > 0 and len(swp) == 3 and all(x and x > 0 for x in swp),
          "pswpout +%s during the run; pages of the %d-page region swapped out after each write pass: %s"
          % (out_d, npg, swp))
    check("swap.swapped-in", in_d and in_d > 0, "pswpin +%s during the run" % in_d)
    after = stats("swap.after")
    oom = after.get("memcg_oom_kill", ["?"])[0]
    mx = stat_delta("swap.before", "swap.after", "memcg_max")
    check("swap.no-oom", oom == "0", "memory.events: oom_kill %s; memory.max hit %s times during the run"
          % (oom, mx))
    ver = p.get("verify")
    check("swap.data-intact", len(ver) == 3 and all(kvint(w, "bad") == 0 for w in ver),
          "; ".join(" ".join(w) for w in ver) or "no verify lines")
    ev = [f for f in t.faults if in_region(f, mem)]
    problems, nsw, ndem = [], 0, 0
    for w in p.get("swapmap"):
        ps, hx = int(w[1]), w[2]
        sw = {(mem[0] >> 12) + 4 * d + b for d, ch in enumerate(hx) for b in range(4) if int(ch, 16) >> b & 1}
        dem = {f["addr"] >> 12 for f in ev if aux_of(f) == 10 * ps + 2 and f["rw"] == "R"
               and f["kv"].get("fault") == "demand"}
        nsw += len(sw)
        ndem += len(dem)
        if not sw <= dem:
            problems.append("pass %d: %d of %d swapped-out pages have no R demand event"
                            % (ps, len(sw - dem), len(sw)))
    check("swap.swapin-demand-events", nsw and not problems,
          "; ".join(problems) if problems else "%d swapped-out pages read back over 3 passes, each with an R "
          "fault=demand event (%d R demand events in all)" % (nsw, ndem))
    miss = []
    for ps in (1, 2, 3):
        for ph, rw in ((1, "W"), (2, "R")):
            got = {f["addr"] >> 12 for f in ev if aux_of(f) == 10 * ps + ph and f["rw"] == rw}
            if got != set(pages(mem)):
                miss.append("pass %d %s: %d pages without a %s event" % (ps, "write" if ph == 1 else "verify",
                                                                       npg - len(got), rw))
    kinds = defaultdict(int)
    for f in ev:
        kinds[f["kv"].get("fault")] += 1
    check("swap.pages-traced", not miss,
          "; ".join(miss[:4]) if miss else "all %d pages in every write (W) and verify (R) phase; %d events in "
          "the region: %s" % (npg, len(ev), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))

# System calls that copy user memory with page faults disabled (issue 13): each call is made
# on a page the program has not touched since a reset walk (nofault.c). trace_marker copies
# with faults disabled and used to fail with EFAULT ("<faulted>"); futex and file writes
# fault the page in and retry. All must behave as untraced, and the kernel's accesses on
# the program's behalf are reported with the ip of the system call.
for name in ("nofault", "thp-madvise", "thp-always"):
    if read(name + ".untraced.out") is None:
        check(name + ".untraced-ran", False, "no output (the guest script did not run it)")
    else:
        check_untraced(name)
c = common("nofault", regions=("hot",))
if c:
    p, t, _ = c
    n = 200
    mk = p.get("marker")
    text = read("nofault.trace", "")
    msgs = re.findall(r"tracing_mark_write: pat-nofault (\d+)", text)
    faulted = text.count("<faulted>")
    check("nofault.trace-marker", mk and kvint(mk[0], "ok") == n and msgs == ["%03d" % i for i in range(n)]
          and not faulted, "%s; %d of the %d messages in the trace in order, %d <faulted>"
          % (" ".join(mk[0]) if mk else "no 'marker' line", len(msgs), n, faulted))
    fx, fw = p.get("futex"), p.get("filewrite")
    check("nofault.futex", fx and kvint(fx[0], "ok") == n // 4 and kvint(fx[0], "bad") == 0
          and kvint(fx[0], "value") == n // 4, " ".join(fx[0]) if fx else "no 'futex' line")
    check("nofault.filewrite", fw and kvint(fw[0], "ok") == n // 4 and kvint(fw[0], "bad") == 0,
          " ".join(fw[0]) if fw else "no 'filewrite' line")
    kr = {w[1]: (int(w[2], 16), int(w[3], 16)) for w in p.get("kregion")}
    lo_ip, hi_ip = p.iprange or (0, 0)
    for k, rw in (("msg", "R"), ("fut", "W"), ("src", "R")):
        ev = [f for f in t.faults if k in kr and in_region(f, kr[k]) and not lo_ip <= f["ip"] < hi_ip]
        ok_ev = [f for f in ev if f["rw"] == rw and f["tid"] == p.pid and f["kv"].get("fault") == "reset"]
        bad = [f for f in ev if f["tid"] != p.pid or f["kv"].get("fault") != "reset"]
        # How many calls find the page reset depends on the walks the spins get (fewer on a
        # loaded host); each call that does must be reported as a reset of the main thread.
        check("nofault.%s-events" % k, ok_ev and not bad,
              "%d %s reset events of the main thread on the %s page with the system call's ip, of %d "
              "kernel-side events there, %d of another kind or thread" % (len(ok_ev), rw, k, len(ev), len(bad)))

# What is not seen (issue 13, seen.c; kernel/README.md "What is traced"): GUP (process_vm_readv
# and /proc/PID/mem from another process, /proc/self/mem) follows the tracer's PROT_NONE PTEs
# without a fault and leaves them so; fault-around maps file pages without a fault; the vDSO
# data (VM_PFNMAP) is never reset.
if read("seen.untraced.out") is None:
    check("seen.untraced-ran", False, "no output (the guest script did not run it)")
else:
    check_untraced("seen")
c = common("seen", regions=("g", "fa"))
if c:
    p, t, _ = c
    gw = p.get("gup")
    g, fa = p.regions["g"], p.regions["fa"]
    ev_g = [f for f in t.faults if in_region(f, g) and int(f["kv"].get("tgid", 0)) == p.pid]
    during = [f for f in ev_g if aux_of(f) in (2, 3)]
    check("seen.gup-not-seen", gw and all(kvint(gw[0], k) == 1 for k in ("remote", "proc", "self")) and not during,
          "%s; %d events on the 16 pages while they were read through GUP (want 0)"
          % (" ".join(gw[0]) if gw else "no 'gup' line", len(during)))
    after = {f["addr"] >> 12 for f in ev_g if aux_of(f) == 4 and f["rw"] == "R" and f["kv"].get("fault") == "reset"}
    check("seen.gup-leaves-reset", after == set(pages(g)),
          "%d of %d pages give an R reset event when the program reads them after the GUP reads"
          % (len(after), len(pages(g))))
    ev_fa = [f for f in t.faults if in_region(f, fa)]
    dem = {f["addr"] >> 12 for f in ev_fa if aux_of(f) == 1 and f["kv"].get("fault") == "demand"}
    seen1 = {f["addr"] >> 12 for f in ev_fa if aux_of(f) == 1}
    again = {f["addr"] >> 12 for f in ev_fa if aux_of(f) == 5 and f["rw"] == "R"}
    check("seen.fault-around", 0 < len(dem) <= len(pages(fa)) // 2 and again == set(pages(fa)),
          "first read of %d file pages: %d demand events (fault-around maps the others), %d pages with any "
          "event; read again after a walk: %d pages with an R event" % (len(pages(fa)), len(dem), len(seen1),
                                                                       len(again)))
    vv = [(int(w[2], 16), int(w[3], 16)) for w in p.get("kregion") if w[1] == "vvar"]
    inv = [f for f in t.faults if vv and in_region(f, vv[0])]
    pg = [f["addr"] >> 12 for f in inv]
    check("seen.pfnmap-not-reset", vv and all(f["kv"].get("fault") == "demand" for f in inv)
          and len(pg) == len(set(pg)), "[vvar] (VM_PFNMAP, read by clock_gettime() all along): %d events, "
          "%s (want only the first touch of a page, as a demand fault)" % (len(inv), ", ".join(
              "%s %s %x" % (f["rw"], f["kv"].get("fault"), f["addr"]) for f in inv[:4]) or "none")
          if vv else "no [vvar] mapping printed")

# Transparent huge pages (issue 13, thp.c): tracing keeps the program's PR_SET_THP_DISABLE
# setting its own, a traced mm gets no huge PMD (the trace stays at 4 KiB granularity), and
# THP is back for the process once tracing stops.
for m in ("madvise", "always"):
    label = "thp-" + m
    pu, exu, _ = prog_run(label + ".untraced")
    hu = {w[1]: kvint(w, "kb") for w in pu.get("anonhuge")}
    check(label + ".untraced-huge", (hu.get("first") or 0) > 0 and (hu.get("after") or 0) > 0,
          "untraced, THP enabled=%s: AnonHugePages %s kB (8 MiB region), %s kB (4 MiB)"
          % (m, hu.get("first"), hu.get("after")))
    c = common("thp", label=label, regions=("thp", "after"))
    if not c:
        continue
    p, t, _ = c
    fl = p.get("thpflag")
    check(label + ".thp-disable-own", fl and [kvint(fl[0], k) for k in ("before", "set", "cleared")] == [0, 1, 0],
          "PR_GET_THP_DISABLE before, after the program's SET 1, after its SET 0: %s (want 0 1 0)"
          % (" ".join(fl[0][1:]) if fl else "no 'thpflag' line"))
    h = {w[1]: kvint(w, "kb") for w in p.get("anonhuge")}
    check(label + ".traced-no-huge-pmd", h.get("first") == 0,
          "AnonHugePages of the 8 MiB region while traced: %s kB (want 0)" % h.get("first"))
    r = p.regions["thp"]
    miss = []
    for rnd, rw in ((0, "W"), (1, "R"), (2, "R")):
        got = {f["addr"] >> 12 for f in t.faults if in_region(f, r) and aux_of(f) == rnd and f["rw"] == rw}
        if got != set(pages(r)):
            miss.append("round %d: %d of %d pages without a %s event" % (rnd, len(set(pages(r)) - got),
                                                                      len(pages(r)), rw))
    check(label + ".4k-events", not miss, "; ".join(miss) if miss else
          "every 4 KiB page of the 8 MiB region has its event in each of the 3 rounds")
    stops = [s for s in t.stops if s["pid"] == p.pid and s["reason"] == "untagged"]
    after = [f for f in t.faults if in_region(f, p.regions["after"])]
    check(label + ".thp-after-stop", stops and not after and (h.get("after") or 0) > 0,
          "%d page_access_stop reason=untagged; then AnonHugePages of a new 4 MiB region %s kB (want > 0), "
          "%d events in it" % (len(stops), h.get("after"), len(after)))

# Slowdown (reported, not judged beyond correctness: timings under TCG are indicative only).
times = {}
for label in ("bench.untraced", "bench.1ms", "bench.10ms"):
    p, ex, _ = prog_run(label)
    us = [int(w[1]) for w in p.get("elapsed_us")]
    if read(label + ".out") is not None:
        check(label + ".result", ex == "0" and p.result == "ok", "exit %s, result %s, %s us"
              % (ex, p.result, us[0] if us else "?"))
    if us:
        times[label] = us[0]
p, ex, _ = prog_run("faultbench.untraced")
us = [int(w[1]) for w in p.get("elapsed_us")]
if read("faultbench.untraced.out") is not None:
    check("faultbench.result", ex == "0" and p.result == "ok", "exit %s, result %s" % (ex, p.result))
    if us:
        print("INFO untraced fault-heavy program (faultbench 200 x 256 pages, TCG): %d us" % us[0])
if "bench.untraced" in times and len(times) > 1:
    base = times["bench.untraced"]
    print("INFO slowdown (bench 128 pages x 50000 reads, TCG): untraced %d us; %s" % (base, ", ".join(
        "%s %d us = %.1fx" % (k.split(".")[1], v, v / base) for k, v in times.items() if k != "bench.untraced")))

# kernel/README.md, "Verified in qemu", names the runs that test each item: the list must be
# exactly what the guest ran, so that it cannot drift from the harness.
def verified_list():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kernel", "README.md")
    plain, debug, sec, sub = set(), set(), False, ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                sec = line.startswith("## Verified in qemu")
            elif line.startswith("### "):
                sub = line
            m = re.match(r"^\s*- ((?:`[^`]+`)(?:,\s*`[^`]+`)*):", line) if sec else None
            if m:
                (debug if sub.startswith("### Debug kernel") else plain).update(re.findall(r"`([^`]+)`", m.group(1)))
    return plain, debug


def runs_made():
    made = set()
    for fn in os.listdir(OUT):
        if fn.endswith(".exit"):
            label = fn[:-len(".exit")]
            label = label[:-len(".untraced")] if label.endswith(".untraced") else label
            made.add(label.split(".")[0] if label.startswith("bench.") else label)
    made |= {label for fn, label in (("proc.txt", "proc"), ("untag.trace", "untag"), ("dmesg.txt", "dmesg"),
                                     ("mm-selftests.txt", "mm-selftests"))
             if os.path.exists(os.path.join(OUT, fn))}
    return made


try:
    vplain, vdebug = verified_list()
    want = vplain | (vdebug if DEBUG else set())
    made = runs_made()
    check("verified-list", want == made, "kernel/README.md lists %d runs; not run: %s; run but not listed: %s"
          % (len(want), " ".join(sorted(want - made)) or "none", " ".join(sorted(made - want)) or "none"))
except OSError as e:
    check("verified-list", False, "cannot read kernel/README.md: %s" % e)

nfail = sum(not ok for _, ok, _ in results)
print("\n%d checks, %d passed, %d failed (results in %s)" % (len(results), len(results) - nfail, nfail, OUT))
sys.exit(1 if nfail else 0)
