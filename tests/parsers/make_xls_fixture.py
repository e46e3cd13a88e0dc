#!/usr/bin/env python3
"""Writes the project's own small .xls fixture (tests/parsers/fixtures/neware_detail.xls).

Made from scratch (a hand-built OLE2 compound file around hand-built BIFF8
records; not saved by Excel, not copied from any export): an Info sheet and a
Neware BTS 7 style "Detail" sheet with shared strings split by a CONTINUE
record, RK, MULRK and NUMBER cells, a formula's cached value and a date
format.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "neware_detail.xls")


def rec(t, data):
    return struct.pack("<HH", t, len(data)) + data


def ustr(s, short=False):
    b = s.encode("latin-1")
    return (struct.pack("<B", len(b)) if short else struct.pack("<H", len(b))) + b"\x00" + b


def rk_int(v):
    return (v << 2) | 0x02


def rk_cent(v):  # an integer number of hundredths
    return (v << 2) | 0x03


BOF_GLOBALS = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
BOF_SHEET = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
EOF = rec(0x000A, b"")

strings = ["Record Index", "Status", "Cur(mA)", "Voltage(V)", "Absolute Time", "Rest", "CC_Chg",
           "Testing Information"]
# SST with the last string split across a CONTINUE record (with its flags byte).
body = b"".join(struct.pack("<H", len(s)) + b"\x00" + s.encode() for s in strings[:-1])
last = strings[-1].encode()
sst = rec(0x00FC, struct.pack("<II", len(strings), len(strings)) + body + struct.pack("<H", len(last)) + b"\x00" + last[:7])
sst += rec(0x003C, b"\x00" + last[7:])
fmt = rec(0x041E, struct.pack("<H", 164) + ustr("yyyy-mm-dd hh:mm:ss"))
xfs = rec(0x00E0, struct.pack("<HH", 0, 0) + b"\x00" * 16) + rec(0x00E0, struct.pack("<HH", 0, 164) + b"\x00" * 16)


def labelsst(r, c, i):
    return rec(0x00FD, struct.pack("<HHHI", r, c, 0, i))


def number(r, c, v, xf=0):
    return rec(0x0203, struct.pack("<HHHd", r, c, xf, v))


info = BOF_SHEET + labelsst(0, 0, 7) + EOF
detail = BOF_SHEET
for c, i in enumerate([0, 1, 2, 3, 4]):
    detail += labelsst(0, c, i)
rows = [(1, 5, 0, 350, 45301.5), (2, 6, 25, 360, 45301.500011574074), (3, 6, 25, 371, 45301.50002314815)]
for n, (idx, status, cur_cent, v_cent, date) in enumerate(rows, start=1):
    detail += rec(0x027E, struct.pack("<HHHI", n, 0, 0, rk_int(idx)))
    detail += labelsst(n, 1, status)
    # Cur(mA) and Voltage(V) as MULRK hundredths: 0.25 mA, 3.5 V
    detail += rec(0x00BD, struct.pack("<HHHIHIH", n, 2, 0, rk_cent(cur_cent), 0, rk_cent(v_cent), 3))
    if n == 3:  # a formula whose cached value is the date
        detail += rec(0x0006, struct.pack("<HHHdHI", n, 4, 1, date, 0, 0) + b"\x00\x00")
    else:
        detail += number(n, 4, date, xf=1)
detail += EOF


def boundsheet(offset, name):
    return rec(0x0085, struct.pack("<IBB", offset, 0, 0) + ustr(name, short=True))


globals_wo_sheets = BOF_GLOBALS + rec(0x0022, struct.pack("<H", 0)) + fmt + xfs + sst
sheets_len = len(boundsheet(0, "Info")) + len(boundsheet(0, "Detail_14_1_3"))
start = len(globals_wo_sheets) + sheets_len + len(EOF)
workbook = (globals_wo_sheets + boundsheet(start, "Info") + boundsheet(start + len(info), "Detail_14_1_3")
            + EOF + info + detail)
workbook += b"\x00" * (4096 + 512 - len(workbook) % 512)  # at least the mini-stream cutoff

# The compound file: header, one FAT sector, one directory sector, the stream.
SS = 512
n_stream = len(workbook) // SS
fat = [0xFFFFFFFD, 0xFFFFFFFE] + [2 + i + 1 for i in range(n_stream - 1)] + [0xFFFFFFFE]
fat += [0xFFFFFFFF] * (128 - len(fat))
header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
header += b"\x00" * 6 + struct.pack("<IIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE) + struct.pack("<I", 0)
header += struct.pack("<I", 0) + struct.pack("<108I", *([0xFFFFFFFF] * 108))
assert len(header) == 512, len(header)


def entry(name, typ, start, size, child=0xFFFFFFFF):
    n = name.encode("utf-16-le") + b"\x00\x00"
    e = n + b"\x00" * (64 - len(n)) + struct.pack("<HBB", len(n), typ, 1)
    e += struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
    e += struct.pack("<IQ", start, size)
    assert len(e) == 128
    return e


directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry("Workbook", 2, 2, len(workbook))
directory += b"\x00" * (SS - len(directory))
with open(OUT, "wb") as f:
    f.write(header + struct.pack("<128I", *fat) + directory + workbook)
