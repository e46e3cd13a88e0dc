#!/usr/bin/env python3
"""Writes the project's own small .xlsx fixture (tests/parsers/fixtures/arbin_channel.xlsx).

Made from scratch (zipfile + hand-written SpreadsheetML, not saved by Excel
and not copied from any export): an info sheet first, then a record sheet in
the Arbin "Channel_*" layout with shared strings, an inline string, a skipped
cell and a date-formatted Date_Time column.
"""
import os
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "arbin_channel.xlsx")

strings = ["TEST REPORT", "Date_Time", "Test_Time(s)", "Step_Index", "Cycle_Index",
           "Voltage(V)", "Current(A)", "Charge_Capacity(Ah)"]
sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
rows = [
    # serial date, time, step, cycle, voltage, current, capacity
    (45301.5, 0, 1, 1, 3.5, 0, 0),
    (45301.500011574074, 1, 2, 1, 3.6, 0.5, 0.000138888888888889),
]


def cell(ref, value, style=None, shared=None):
    s = f' s="{style}"' if style is not None else ""
    if shared is not None:
        return f'<c r="{ref}" t="s"{s}><v>{shared}</v></c>'
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


header = "".join(cell(f"{c}1", None, shared=i + 1) for i, c in enumerate("ABCDEFG"))
body = ""
for n, r in enumerate(rows, start=2):
    cells = [cell(f"A{n}", r[0], style=1)] + [cell(f"{c}{n}", v) for c, v in zip("BCDEFG", r[1:])]
    body += f'<row r="{n}">{"".join(cells)}</row>'
channel = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>')
info = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="B1" t="s"><v>0</v></c>'
        '<c r="D1" t="inlineStr"><is><t>made by batteryhub tests</t></is></c></row></sheetData></worksheet>')
workbook = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Global_Info" sheetId="1" r:id="rId1"/>'
            '<sheet name="Channel_1_1" sheetId="2" r:id="rId2"/></sheets></workbook>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="worksheet" '
        'Target="worksheets/sheet2.xml"/></Relationships>')
styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
          'spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="165" '
          'formatCode="mm/dd/yyyy\\ hh:mm:ss.000"/></numFmts><cellXfs count="2"><xf numFmtId="0"/>'
          '<xf numFmtId="165"/></cellXfs></styleSheet>')
types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
         'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
         'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("[Content_Types].xml", types), ("xl/workbook.xml", workbook),
                       ("xl/_rels/workbook.xml.rels", rels), ("xl/styles.xml", styles),
                       ("xl/sharedStrings.xml", f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>'),
                       ("xl/worksheets/sheet1.xml", info), ("xl/worksheets/sheet2.xml", channel)]:
        info_ = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 0, 0, 0))
        z.writestr(info_, text)
