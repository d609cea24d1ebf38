#!/usr/bin/env python3
"""runstat.py OUT CMD...: run CMD under GNU time and append "wall cpu rss_kb" to OUT.

cpu is the user + system time of CMD and all its threads and children, from
getrusage(RUSAGE_CHILDREN) in microseconds (GNU time prints only hundredths of a
second, too coarse for runs of tens of milliseconds); rss_kb is GNU time's %M, the
peak resident set. Exit status: CMD's.
"""
import os
import resource
import subprocess
import sys
import time


def main():
    out, cmd = sys.argv[1], sys.argv[2:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    rc = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", out + ".rss"] + cmd,
                         stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out + ".rss") as f:
        rss = f.read().split()[-1]
    os.unlink(out + ".rss")
    with open(out, "a") as f:
        f.write("%.4f %.4f %s\n" % (wall, cpu, rss))
    return rc


if __name__ == "__main__":
    sys.exit(main())
