# Helpers for the picture tests: a PNG decoder (zlib and struct only, so that the
# check does not share code with libpng's writer) and an SVG reader.
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = '{http://www.w3.org/2000/svg}'


def read_png(path):
    """(width, height, rows): rows[y][x] = (r, g, b) of an 8-bit RGB PNG."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG signature'
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])[0]
        assert zlib.crc32(kind + body) == crc, 'bad CRC in ' + kind.decode()
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = hdr
    assert (depth, colour, interlace) == (8, 2, 0), 'not 8-bit RGB, non-interlaced'
    raw, stride, rows, prev = zlib.decompress(idat), w * 3, [], bytearray(w * 3)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[3 * x:3 * x + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def hex_rgb(s):
    return tuple(int(s[i:i + 2], 16) for i in (1, 3, 5))


def svg_items(path, cls):
    """The root and the elements of class cls: (attributes, title text)."""
    root = ET.parse(path).getroot()
    out = []
    for e in root.iter():
        if e.get('class') == cls:
            t = e.find(NS + 'title')
            out.append((e.attrib, t.text if t is not None else None))
    return root, out


def doubling_points(points, png, what):
    """The x of each chart point, after checking that each has its SVG colour in the
    PNG and that they stand left to right at even steps (a log2 axis, sizes doubling;
    the last step may be shorter)."""
    xs = [int(a['cx'].split('.')[0]) for a, _ in points]
    for a, tip in points:
        if png[int(a['cy'].split('.')[0])][int(a['cx'].split('.')[0])] != hex_rgb(a['fill']):
            fail('PNG differs at point %r' % tip)
    steps = {xs[i + 1] - xs[i] for i in range(len(xs) - 2)}
    if xs != sorted(xs) or len(set(xs)) != len(xs) or max(steps) - min(steps) > 1:
        fail('doubling %s are not evenly spaced, left to right: %s' % (what, xs))
    return xs


def need_texts(root, *want):
    """Fails unless the SVG shows each of the texts want (axis labels, ticks)."""
    texts = [t.text for t in root.iter(NS + 'text')]
    if not all(w in texts for w in want):
        fail('texts %s, not all of %s' % (texts, want))


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)
