#!/usr/bin/env python3
"""Writes the project's own small BioLogic .mpr fixtures (tests/parsers/fixtures/*.mpr).

Made from scratch with the module layout the reader expects, not copied from
any instrument file: one file per module-header layout (EC-Lab 11.50+ and
before). Values are chosen so that tests can check them exactly. Run it again
after changing it; the outputs are committed.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
MAGIC = b"BIO-LOGIC MODULAR FILE\x1a" + b" " * 25 + b"\x00" * 4  # 52 bytes


def module(short, long_, data, new_layout, version):
    head = b"MODULE" + short.ljust(10).encode() + long_.ljust(25).encode()
    if new_layout:  # max length, length, version, version, date
        head += struct.pack("<IIII", len(data), len(data), version, 11) + b"01/02/24"
    else:  # length, version, date
        head += struct.pack("<II", len(data), version) + b"01/02/24"
    return head + data


def settings(technique):
    data = bytearray(0x300)
    data[0] = technique
    return bytes(data)


def log(ole_days):
    data = bytearray(0x400)
    data[0x249:0x251] = struct.pack("<d", ole_days)
    version = b"11.50"
    data[0x3B7] = len(version)
    data[0x3B8:0x3B8 + len(version)] = version
    return bytes(data)


def data_module(ids, fmt, rows, new_layout, version):
    if new_layout:
        head = struct.pack("<IH", len(rows), len(ids)) + struct.pack("<%dH" % len(ids), *ids)
        start = 0x3EF
    else:
        head = struct.pack("<IB", len(rows), len(ids)) + struct.pack("<%dH" % len(ids), *ids)
        start = 0x195 if version == 2 else 0x196
    body = b"".join(struct.pack("<" + fmt, *r) for r in rows)
    return head + b"\x00" * (start - len(head)) + body


def write(name, parts):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(MAGIC + b"".join(parts))


# EC-Lab 11.50+ layout, GCPL (technique 0x04): flags, Ns, time/s, dq/mA.h,
# Ewe/V, Q charge/discharge/mA.h. No current column: the reader derives
# <I> = dq * 3600 / dt, as the text export does.
gcpl_ids = [1, 2, 3, 21, 31, 65, 131, 4, 7, 6, 467]
gcpl_rows = [
    (0x01, 0, 0.0, 0.0, 3.5, 0.0),
    (0x01, 0, 10.0, 0.01, 3.6, 0.01),     # 0.01 mAh in 10 s: 3.6 mA
    (0x01, 1, 20.0, 0.02, 3.75, 0.03),    # 7.2 mA
    (0x01, 1, 30.0, -0.005, 3.5, 0.025),  # -1.8 mA
]
write("biologic_gcpl.mpr", [
    module("VMP Set", "VMP settings", settings(0x04), True, 0),
    module("VMP data", "VMP data", data_module(gcpl_ids, "BHddfd", gcpl_rows, True, 0), True, 0),
    module("VMP LOG", "VMP LOG", log(45301.5), True, 0),  # 2024-01-10 12:00
])

# Before EC-Lab 11.50 (51-byte headers, data module version 3), Open Circuit
# Voltage (0x0b): flags, time/s, Ewe/V and no current at all.
ocv_rows = [(0, 0.0, 0.25), (0, 60.0, 0.2625), (0, 120.0, 0.275)]
write("biologic_ocv.mpr", [
    module("VMP Set", "VMP settings", settings(0x0B), False, 0),
    module("VMP data", "VMP data", data_module([1, 3, 4, 6], "Bdf", ocv_rows, False, 3), False, 3),
    module("VMP LOG", "VMP LOG", log(43846.5), False, 0),
])

# Data module version 2, PEIS (0x1d): freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm, time/s,
# <Ewe>/V, <I>/mA.
peis_rows = [(1000.0, 10.0, 2.5, 1.0, 3.7, 0.5), (100.0, 12.0, 4.0, 2.0, 3.7, 0.25)]
write("biologic_peis.mpr", [
    module("VMP Set", "VMP settings", settings(0x1D), False, 0),
    module("VMP data", "VMP data",
           data_module([32, 37, 38, 4, 77, 76], "fffdff", peis_rows, False, 2), False, 2),
])
