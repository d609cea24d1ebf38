#!/usr/bin/env python3
"""predict.py TRACE: how predictable the events of a trace text are (docs/performance.md,
"Real programs"): the share of events whose page is the last page of the same ip, whose
page delta repeats the ip's last one (its stride), whose page is the one that followed
the previous event's page last time, whose ip is the last ip seen on the page, and
whose in-page offset is the last one seen on the page; with the distinct ips and pages.
Every figure is an exact match counted over the whole trace, in order.
"""
import sys


def main():
    ev = []
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            i = line.find("handle_mm_fault: ")
            if i < 0:
                continue
            fields = line[i + 17:].split()
            ev.append((int(fields[2], 16), int(fields[3], 16)))
    last_of_ip, stride, succ, ip_of, off_of = {}, {}, {}, {}, {}
    same_page = same_stride = same_succ = same_ip = same_off = 0
    prev_page = None
    for ip, addr in ev:
        page, off = addr >> 12, addr & 4095
        last = last_of_ip.get(ip)
        if last is not None:
            same_page += (last >> 12) == page
            delta = page - (last >> 12)
            same_stride += stride.get(ip) == delta
            stride[ip] = delta
        same_succ += succ.get(prev_page) == page
        same_ip += ip_of.get(page) == ip
        same_off += off_of.get(page) == off
        if prev_page is not None:
            succ[prev_page] = page
        prev_page = page
        last_of_ip[ip] = addr
        ip_of[page] = ip
        off_of[page] = off
    n = max(len(ev), 1)
    print("%s: %d events, %d ips, %d pages; page = the ip's last %.2f, same stride %.2f, "
          "page = successor of the previous page %.2f, ip = the page's last %.2f, "
          "offset = the page's last %.2f" % (sys.argv[1], len(ev), len(last_of_ip),
                                             len(ip_of), same_page / n, same_stride / n,
                                             same_succ / n, same_ip / n, same_off / n))


if __name__ == "__main__":
    main()
