"""The trace text as the CLI tests' models see it, read independently of pacollect:
access events, mapping events and START times, the run start t0 (docs/design.md section 6)
and the common filters of paanalyze (--pid --tid --rw --from --to).

Used by test_reuse.sh, test_wss.sh, test_export.sh and test_info_breakdown.sh as
    sys.path.insert(0, os.environ['SRC'] + '/tests/cli'); import tracetext
"""
import re
from collections import namedtuple

# task-pid, an optional (tgid), [cpu], flags, sec.frac: event: fields
HDR = re.compile(r'^\s*(.*)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[\d+\].*?\s(\d+)\.(\d+): (\w+): (.*)$')

Event = namedtuple('Event', 't tgid tid rw ip addr aux fault comm')
MapOp = namedtuple('MapOp', 't pid start end label')   # label None: unmap


def dur(s):
    """'250ms', '1.5s', '300us', '20ns' in nanoseconds."""
    m = re.fullmatch(r'([0-9.]+)(ns|us|ms|s)', s)
    return round(float(m.group(1)) * {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}[m.group(2)])


def read(path):
    """(events, map ops, START times) of a trace file, in file order."""
    events, ops, starts = [], [], []
    for line in open(path):
        m = HDR.match(line)
        if not m:
            continue
        t = int(m.group(3)) * 10**9 + int(m.group(4).ljust(9, '0'))
        kind, rest = m.group(5), m.group(6)
        if kind == 'init_page_access_trace':
            starts.append(t)
        elif kind == 'handle_mm_fault':
            w = rest.split()
            f = dict(x.split('=', 1) for x in w[4:] if '=' in x)
            tid = int(w[0])
            events.append(Event(t, int(f.get('tgid', tid)), tid, w[1], int(w[2], 16),
                                int(w[3], 16), int(f.get('aux', 0)), f.get('fault', 'reset'),
                                m.group(1).strip()))
        elif kind in ('page_access_mmap', 'page_access_munmap'):
            head, _, path_ = rest.partition(' path=')
            f = dict(re.findall(r'(\w+)=(\S*)', head))
            label = None
            if kind == 'page_access_mmap':
                label = path_ or ('[heap]' if f.get('reason') == 'brk' else '[anon]')
            ops.append(MapOp(t, int(f['pid']), int(f['start'], 16), int(f['end'], 16), label))
    return events, ops, starts


def run_start(events, starts):
    """t0: the first START marker's time, else the first event's."""
    return min(starts) if starts else (events[0].t if events else 0)


def options(args):
    """['--pid', '5', '--rw', 'w'] -> {'--pid': '5', '--rw': 'w'}"""
    return dict(zip(args[0::2], args[1::2]))


def select(events, t0, opt):
    """The events that pass the common filters in opt, in order."""
    out = []
    for e in events:
        if '--pid' in opt and e.tgid != int(opt['--pid']):
            continue
        if '--tid' in opt and e.tid != int(opt['--tid']):
            continue
        if '--rw' in opt and e.rw != opt['--rw'].upper():
            continue
        if '--from' in opt and e.t < t0 + dur(opt['--from']):
            continue
        if '--to' in opt and e.t >= t0 + dur(opt['--to']):
            continue
        out.append(e)
    return out


def load(argv):
    """From a model's arguments TRACE [FILTER ARGS...]: (options, all events, map ops,
    t0, the selected events)."""
    opt = options(argv[1:])
    events, ops, starts = read(argv[0])
    t0 = run_start(events, starts)
    return opt, events, ops, t0, select(events, t0, opt)
