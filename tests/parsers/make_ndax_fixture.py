#!/usr/bin/env python3
"""Writes the project's own small Neware .ndax fixture (tests/parsers/fixtures/neware_v14.ndax).

Made from scratch in the ndc version 14 layout the reader knows (not copied
from any instrument file): 5 records, runInfo for records 1, 2 and 5 only
(3 and 4 are interpolated), two steps (rest, then CC charge), one
temperature channel named in TestInfo.xml.
"""
import os
import struct
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "neware_v14.ndax")
PAGE, BODY = 4096, 132


def ndc(filetype, records, stride, tail):
    head = bytearray(PAGE)
    head[0], head[2] = filetype, 14
    page = bytearray(PAGE)
    page[0], page[2] = filetype, 14
    at = BODY
    for r in records:
        assert len(r) == stride and at + stride <= PAGE - tail
        page[at:at + stride] = r
        at += stride
    return bytes(head + page)


volts = [(3.5, 0.0), (3.5, 0.0), (3.6, 0.5), (3.7, 0.5), (3.8, 0.5)]  # V, A
data = ndc(1, [struct.pack("<ff", v, i) for v, i in volts], 8, 4)


def run(ms, qin, uts, msec, step, index):
    r = struct.pack("<ibffff12siiih8s", ms, 0, qin, 0.0, 0.0, 0.0, b"\0" * 12, uts, step, index, msec, b"\0" * 8)
    assert len(r) == 55
    return r


runinfo = ndc(18, [run(0, 0.0, 1704888000, 0, 1, 1), run(0, 0.0, 1704888010, 0, 2, 2),
                   run(30000, 0.5, 1704888040, 500, 2, 5)], 55, 59)


def step(cycle, index, status):
    return struct.pack("<ii16sb12s", cycle, index, b"\0" * 16, status, b"\0" * 12)


steps = ndc(7, [step(0, 1, 4), step(0, 2, 1)], 37, 5)
aux = ndc(5, [struct.pack("<f", t) for t in (25.0, 25.5, 26.0, 26.5, 27.0)], 4, 4)
testinfo = ('<?xml version="1.0" encoding="GB2312"?>\r\n<root><config><TestInfo AuxCount="1">'
            '<Aux1 AuxID="1" ChlType="103"/></TestInfo></config></root>')
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
    for name, b in [("TestInfo.xml", testinfo.encode()), ("data.ndc", data),
                    ("data_runInfo.ndc", runinfo), ("data_step.ndc", steps),
                    ("data_AUX_9_3_1.ndc", aux)]:
        z.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 1, 0, 0, 0)), b)
