#!/usr/bin/env python3
"""Writes the project's own small Neware .nda fixtures (tests/parsers/fixtures/*.nda).

Made from scratch in the two record layouts the reader knows, not copied from
any instrument file; values are chosen so that tests can check them exactly.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def header(version, size):
    h = bytearray(size)
    h[0:6] = b"NEWARE"
    h[14] = version
    return h


# BTS 7/8 (version 29): 86-byte records after a "\0\0\0\0" mark. Range 5
# (mA): current, capacity and energy counts are 1e-4 mA units.
def bts8_record(index, step, state, time_ms, v_counts, i_counts, chg, dchg, y, mo, d, h, mi, s):
    r = bytearray(86)
    r[0:2] = b"\x55\x00"
    struct.pack_into("<IIHB", r, 2, index, 0, step, state)
    struct.pack_into("<Q", r, 14, time_ms)
    struct.pack_into("<ii", r, 22, v_counts, i_counts)
    struct.pack_into("<qqqq", r, 38, chg, dchg, 0, 0)
    struct.pack_into("<HBBBBB", r, 70, y, mo, d, h, mi, s)
    struct.pack_into("<i", r, 78, 5)
    return bytes(r)


body = header(29, 600)
body += b"\x00\x00\x00\x00"
body += bts8_record(1, 1, 4, 0, 36000, 0, 0, 0, 2024, 1, 10, 12, 0, 0)
body += bts8_record(2, 2, 1, 1500, 36500, 10000, 36000, 0, 2024, 1, 10, 12, 0, 1)  # 1 mA
body += bts8_record(3, 3, 2, 3000, 35000, -20000, 36000, 72000, 2024, 1, 10, 12, 0, 3)
aux = bytearray(86)
aux[0] = 0x65
body += bytes(aux)
with open(os.path.join(OUT, "neware_bts8.nda"), "wb") as f:
    f.write(bytes(body))


# BTS 9.1 (version 130): 56-byte float records from byte 1024.
def bts91_record(index, step, state, seconds, ns, i_ma, v, cap_mas, e_mws, cycle, uts, t):
    r = bytearray(56)
    r[0:2] = b"\x55\x06"
    r[2] = step
    r[3] = state
    struct.pack_into("<IIIffffII", r, 8, index, seconds, ns, i_ma, v, cap_mas, e_mws, cycle, 0)
    struct.pack_into("<IIf", r, 44, uts, 500000000, t)
    return bytes(r)


body = header(130, 1024)
body += bts91_record(1, 1, 4, 0, 10000000, 0.0, 3.5, 0.0, 0.0, 0, 1704888000, 25.5)
body += bts91_record(2, 2, 1, 10, 0, 2.5, 3.75, 90.0, 324.0, 0, 1704888010, 25.75)
body += bts91_record(3, 3, 2, 20, 0, -2.5, 3.25, -180.0, -648.0, 1, 1704888020, 26.0)
body += bytes(56)  # an empty slot, as BTS leaves at the end
with open(os.path.join(OUT, "neware_bts91.nda"), "wb") as f:
    f.write(bytes(body))
