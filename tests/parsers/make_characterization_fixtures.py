#!/usr/bin/python3
"""Writes the project's own characterisation fixtures (tests/parsers/fixtures/characterization).

Every file is made here, in the layout of the instrument it imitates, from
values the tests know: an XRD pattern (the same scan in six formats), a
log-normal size distribution, and isotherms computed from the BET equation
with a known monolayer capacity and C constant. Run it again to regenerate;
the output is deterministic.
"""
import bz2
import io
import math
import os
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "characterization")

# XRD: 41 points, 10-30 deg, step 0.5, one Gaussian peak at 20 deg on a flat background.
TT = [10 + 0.5 * i for i in range(41)]
COUNTS = [int(100 + 900 * math.exp(-((t - 20) ** 2) / 2)) for t in TT]

# Isotherm from the BET equation: nm = 10 mmol/g, C = 100, p/p0 0.01-0.30 then up to 0.9.
NM, C = 10.0, 100.0
P = [0.01, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90]


def bet(x):
    return NM * C * x / ((1 - x) * (1 - x + C * x))


def write(name, data, mode="w", **kw):
    with open(os.path.join(OUT, name), mode, **kw) as f:
        f.write(data)


def xrdml():
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xrdMeasurements xmlns="http://www.xrdml.com/XRDMeasurement/2.1" status="Completed">\n'
        "  <sample type=\"To be analyzed\"><id>lot-7</id><name>NMC811 lot 7</name></sample>\n"
        '  <xrdMeasurement measurementType="Scan" status="Completed" sampleMode="Reflection">\n'
        '    <usedWavelength intended="K-Alpha 1"><kAlpha1 unit="Angstrom">1.5405980</kAlpha1>'
        '<kAlpha2 unit="Angstrom">1.5444260</kAlpha2><kBeta unit="Angstrom">1.3922500</kBeta>'
        "<ratioKAlpha2KAlpha1>0.5000</ratioKAlpha2KAlpha1></usedWavelength>\n"
        '    <incidentBeamPath><xRayTube id="1" name="Cu LFF"><tension unit="kV">45</tension>'
        '<current unit="mA">40</current><anodeMaterial>Cu</anodeMaterial></xRayTube></incidentBeamPath>\n'
        '    <scan appendNumber="0" mode="Continuous" scanAxis="Gonio" status="Completed">\n'
        "      <header><startTimeStamp>2026-05-04T10:00:00+09:00</startTimeStamp>"
        "<endTimeStamp>2026-05-04T10:30:00+09:00</endTimeStamp><author><name>Sato</name></author>"
        '<source><applicationSoftware version="7.0">Data Collector</applicationSoftware>'
        "<instrumentControlSoftware>XPERT-PRO</instrumentControlSoftware></source></header>\n"
        '      <dataPoints><positions axis="2Theta" unit="deg"><startPosition>10</startPosition>'
        "<endPosition>30</endPosition></positions>"
        '<positions axis="Omega" unit="deg"><startPosition>5</startPosition><endPosition>15</endPosition></positions>'
        '<commonCountingTime unit="seconds">1.0</commonCountingTime>'
        f'<counts unit="counts">{" ".join(str(c) for c in COUNTS)}</counts></dataPoints>\n'
        "    </scan>\n  </xrdMeasurement>\n</xrdMeasurements>\n"
    )


def panalytical_csv():
    head = [
        "[Measurement conditions]",
        "Sample identification,NMC811 lot 7",
        "Anode material,Cu",
        "K-Alpha1 wavelength,1.5405980",
        "K-Alpha2 wavelength,1.5444260",
        "Ratio K-Alpha2/K-Alpha1,0.500",
        "Generator voltage, 45",
        "Tube current, 40",
        "File date and time,04/May/2026 10:00",
        "Scan range,10.000,30.000",
        "No. of points, 41",
        "Time per step,1.0",
        "[Scan points]",
        "Angle,Intensity",
    ]
    return "\r\n".join(head + [f"{t:.4f},{c}.0" for t, c in zip(TT, COUNTS)]) + "\r\n"


def uxd():
    lines = ["; NMC811 lot 7 converted by hand", "_FILEVERSION=2", "_SAMPLE='NMC811 lot 7'",
             "_WL_UNIT='A'", "_WL1=1.540598", "_WL2=1.544426", "_WLRATIO=0.500000", "_ANODE='Cu'",
             "; (Data for Range number 1)", "_STEPTIME=1.000000", "_STEPSIZE=0.500000", "_START=10.000000",
             "_KV=45", "_MA=40", "_2THETACOUNTS"]
    lines += [f"{t:.3f}\t{c}" for t, c in zip(TT, COUNTS)]
    return "\n".join(lines) + "\n"


def ras():
    lines = ["*RAS_DATA_START", "*RAS_HEADER_START", '*FILE_OPERATOR "tanaka"', '*FILE_SAMPLE "NMC811 lot 7"',
             '*HW_XG_TARGET_NAME "Cu"', '*HW_XG_WAVE_LENGTH_ALPHA1 "1.540593"', '*HW_XG_WAVE_LENGTH_ALPHA2 "1.544414"',
             '*MEAS_SCAN_AXIS_X "2-Theta/Omega"', '*MEAS_SCAN_START_TIME "05/04/26 10:00:00"',
             '*MEAS_SCAN_UNIT_X "deg"', '*MEAS_SCAN_UNIT_Y "counts"', "*RAS_HEADER_END", "*RAS_INT_START"]
    # Half the counts with an attenuation factor of 2: the reader multiplies.
    lines += [f"{t:.4f} {c / 2:.1f} 2.0000" for t, c in zip(TT, COUNTS)]
    lines += ["*RAS_INT_END", "*RAS_DATA_END"]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def rasx():
    profile = "\ufeff" + "".join(f"{t:.4f}\t{c}\t1\r\n" for t, c in zip(TT, COUNTS))
    cond = ('<?xml version="1.0" encoding="utf-8"?><MeasurementConditions><GeneralInformation>'
            "<SampleName>NMC811 lot 7</SampleName><Operator>tanaka</Operator></GeneralInformation>"
            "<ScanInformation><AxisName>TwoTheta</AxisName><Start>10</Start><Stop>30</Stop><Step>0.5</Step>"
            "<Speed>1.0</Speed><SpeedUnit>deg/min</SpeedUnit><IntensityUnit>counts</IntensityUnit>"
            "<StartTime>2026-05-04T01:00:00Z</StartTime></ScanInformation><HWConfigurations><XrayGenerator>"
            "<TargetName>Cu</TargetName><WavelengthKalpha1>1.540593</WavelengthKalpha1>"
            "<WavelengthKalpha2>1.544414</WavelengthKalpha2><Voltage>45</Voltage><VoltageUnit>kV</VoltageUnit>"
            "<Current>200</Current><CurrentUnit>mA</CurrentUnit></XrayGenerator></HWConfigurations>"
            "</MeasurementConditions>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Data0/Profile0.txt", profile.encode("utf-8"))
        z.writestr("Data0/MesurementConditions0.xml", cond)
        z.writestr("root.xml", "<Root/>")
    return buf.getvalue()


def brml():
    datum = "".join(f"<Datum>1,1,{t},{t / 2},{c}</Datum>" for t, c in zip(TT, COUNTS))
    raw = ('<?xml version="1.0"?><RawData xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
           "<TimeStampStarted>2026-05-04T10:00:00+09:00</TimeStampStarted>"
           "<TimeStampFinished>2026-05-04T10:20:00+09:00</TimeStampFinished><DataRoutes>"
           '<DataRoute RouteFlag="Measured"><ScanInformation VisibleName="Coupled TwoTheta/Theta">'
           "<TimePerStep>1</TimePerStep></ScanInformation><DataViews>"
           '<RawDataView xsi:type="FixedRawDataView" Start="0" Length="1" LogicName="MeasuredTime" Unit="s" />'
           '<RawDataView xsi:type="FixedRawDataView" Start="1" Length="1" LogicName="AbsorptionFactor" Unit="" />'
           '<RawDataView xsi:type="VaryingRawDataView" Start="2" Length="2"><Varying>'
           '<FieldDefinitions FieldName="TwoTheta" AxisId="TwoTheta" /><FieldDefinitions FieldName="Theta" AxisId="Theta" />'
           "</Varying></RawDataView>"
           '<RawDataView xsi:type="RecordedRawDataView" Start="4" Length="1" MeasuredDataIndex="0" />'
           f"</DataViews>{datum}</DataRoute></DataRoutes><FixedInformation><Instrument><PrimaryTracks><TrackInfoData>"
           '<MountedOptics><InfoData><Tube><WaveLengthAlpha1 Unit="Å" Value="1.5406" />'
           '<WaveLengthAlpha2 Unit="Å" Value="1.54439" /><WaveLengthRatio Unit="" Value="0.5" />'
           "<TubeMaterial>Cu</TubeMaterial></Tube></InfoData></MountedOptics></TrackInfoData></PrimaryTracks>"
           "</Instrument></FixedInformation></RawData>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Experiment0/RawData0.xml", raw)
        z.writestr("Experiment0/DataContainer.xml", "<DataContainer/>")
    return buf.getvalue()


def headed_csv():
    return "2Theta (deg);Intensity (cps)\n" + "".join(f"{t:.2f};{c}\n" for t, c in zip(TT, COUNTS))


def xye():
    return "".join(f"{t:.3f} {c:.1f} {math.sqrt(c):.3f}\r\n" for t, c in zip(TT, COUNTS))


# PSD: log-normal, median 10 um, 60 classes from 0.5 to 100 um (log-spaced).
EDGES = [0.5 * (200 ** (i / 60)) for i in range(61)]


def lognormal_cdf(d, median=10.0, sigma=0.5):
    return 0.5 * (1 + math.erf(math.log(d / median) / (sigma * math.sqrt(2))))


SHARES = [100 * (lognormal_cdf(EDGES[i + 1]) - lognormal_cdf(EDGES[i])) for i in range(60)]


def mastersizer(with_results=True):
    head = ["Sample Name", "Operator name", "Measurement date and time", "Particle name", "Dispersant name",
            "Particle refractive index", "Obscuration", "Span", "Specific surface area",
            "D [4, 3] - Volume weighted mean ", "d (0.1)", "d (0.5)", "d (0.9)",
            "Result Between User Sizes (Sizes in um)"] + [""] * 60
    edges = [""] * 13 + [f"{e:.6f}" for e in EDGES]
    d = {p: 10.0 * math.exp(0.5 * math.sqrt(2) * erfinv(2 * p - 1)) for p in (0.1, 0.5, 0.9)}
    res = [f"{d[0.1]:.3f}", f"{d[0.5]:.3f}", f"{d[0.9]:.3f}"] if with_results else ["", "", ""]
    span = f"{(d[0.9] - d[0.1]) / d[0.5]:.3f}" if with_results else ""
    row = ["NMC811 lot 7", "Sato", "04/05/2026 10:00", "NMC", "Water", "1.70", "11.2", span, "0.41", "11.3"] + res + [""] + \
          [f"{s:.6f}" for s in SHARES]
    q = lambda r: ",".join(f'"{c}"' if "," in c else c for c in r)
    return "\n".join(q(r) for r in (head, edges, row)) + "\n"


def erfinv(y):
    # Newton on erf: enough digits for a fixture.
    x = 0.0
    for _ in range(60):
        x -= (math.erf(x) - y) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
    return x


def multisizer():
    lines = ["Multisizer 3,26-05-04 10:00,,,", "Sample ID:,lot7,,,", "Operator:,Sato,,,", "Aperture diameter:,100,,,",
             "From,0.5,,,", "To,100,,,", ",,,,", "Bin Number,Bin Diameter,Bin Diameter,Diff.,Diff.",
             ",(Lower),(Center),Number,Volume", ",um,um,,%"]
    for i, s in enumerate(SHARES):
        lines.append(f"{i + 1},{EDGES[i]:.5f},{math.sqrt(EDGES[i] * EDGES[i + 1]):.5f},{int(s * 1000)},{s:.6f}")
    lines.append(f",{EDGES[-1]:.5f},,,")
    return "\r".join(lines) + "\r"


def camsizer():
    lines = ["lot7.rdf\tNMC.afg\txc_min\t2026/05/04\t10:00\t5 min", "", "Retsch Technology", "",
             "x(Q3=10.00 %) [µm] =\t5.27", "x(Q3=50.00 %) [µm] =\t10.00", "x(Q3=90.00 %) [µm] =\t18.97",
             "SPAN3\t1.370", "", "Class\t[µm]\tp3 [%]\tQ3 [%]"]
    cum = 0
    for i, s in enumerate(SHARES):
        cum += s
        lines.append(f"{EDGES[i]:.4f}\t{EDGES[i + 1]:.4f}\t{s:.4f}\t{cum:.4f}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-16-le")


def bel_dat():
    lines = ["====================", " System property Ver1.2.6", "====================", '"Instrument S/N:"\t00001',
             "=======================", " Measurement condition", "=======================", '"Adsorptive:"\tN2',
             '"Meas. Temp./K:"\t77.35', "====================", " Sample information", "====================",
             '"Sample weight/g:"\t0.05000', '"Comment1:"\t"NMC811 lot 7"', '"as/m2 g-1:"\t0.0000',
             '"Date of measurement:"\t26/05/04', '"Time of measurement:"\t10:00:00', "====================",
             " Adsorption data", "====================", '"No."\t"Pe/kPa"\t"P0/kPa"\t"Vd/ml"\t"V/ml(STP) g-1"']
    for i, x in enumerate(P):
        lines.append(f"{i + 1}\t{x * 101.325:.6f}\t101.325\t25.0\t{bet(x) * 22.413969545:.6f}")
    lines += ["0\t0\t0\t0\t0", "====================", " Desorption data", "====================",
              '"No."\t"Pe/kPa"\t"P0/kPa"\t"Vd/ml"\t"V/ml(STP) g-1"']
    for i, x in enumerate(reversed(P[-5:-1])):
        lines.append(f"{i + 1}\t{x * 101.325:.6f}\t101.325\t25.0\t{bet(x) * 22.413969545 * 1.02:.6f}")
    lines.append("0\t0\t0\t0\t0")
    return "\n".join(lines) + "\n"


def quantachrome():
    mass = 0.1
    lines = ["      Quantachrome ASiQwin- Automated Gas Sorption Data", "              version 3.0", "",
             "Operator:      Sato           Date:05/04/2026 10:00Operator:ir                  Date:2026/05/05",
             "Sample ID:     NMC811_lot7_N2_77K     Filename:      lot7.raw",
             "Outgas Time:   12.0 hrs            Outgas Temp:   120.0 °C            Sample Weight: 0.1000 g",
             "Analysis gas:  Nitrogen            Molec. Wt:     28.0134 g           Non-ideality:  6.58e-05 1/Torr",
             "Analysis Time: n/a                 Instrument:    Autosorb Station 1  Bath temp.:    77.3 K", "",
             "      Press            P0         Volume @ STP        Time             Tol             Equ", "",
             "      Torr            Torr             cc              min", ""]
    for x in P + list(reversed(P[-5:-1])):
        lines.append(f"       {x * 760:.4f}      760.00           {bet(x) * 22.413969545 * mass:.5f}          0.0             3               3")
    return ("\n".join(lines) + "\n").encode("latin-1")


def aif():
    lines = ["data_lot7", "_exptl_operator 'Sato'", "_exptl_date 2026-05-04T10:00:00", "_exptl_instrument 'BEL 00001'",
             "_exptl_adsorptive Ar", "_exptl_temperature 87.30", "_adsnt_sample_mass 0.05", "_adsnt_sample_id 'lot7'",
             "_units_temperature K", "_units_pressure kPa", "_units_mass g", "_units_loading 'mmol/g'", "",
             "loop_", "_adsorp_pressure", "_adsorp_p0", "_adsorp_amount"]
    lines += [f"{x * 100:.5f} 100.0 {bet(x):.6f}" for x in P]
    lines += ["", "loop_", "_desorp_pressure", "_desorp_p0", "_desorp_amount"]
    lines += [f"{x * 100:.5f} 100.0 {bet(x) * 1.02:.6f}" for x in reversed(P[-5:-1])]
    return "\n".join(lines) + "\n"


def ta_dsc():
    lines = ["CLOSED", "Instrument\tQ2000 V24.11", "Module\tDSC Standard Cell RC", "Sample\tLiPF6 electrolyte",
             "Size\t5.0000\tmg", "Operator\tsato", "Nsig\t3", "Sig1\tTime (min)", "Sig2\tTemperature (°C)",
             "Sig3\tHeat Flow (mW)", "Date\t04-May-26", "Time\t10:00", "StartOfData"]
    lines.append("-1.000000\t25.0\t0.0")
    for i in range(50):
        t = i * 0.1
        lines.append(f"{t:.4f}\t{25 + 10 * t:.4f}\t{-0.5 - 0.01 * i:.5f}")
    return ("\n".join(lines) + "\n").encode("latin-1")


def col_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx(sheets):
    """A workbook of (name, rows) sheets: strings inline, numbers as numbers, None left out."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    parts = []
    for k, (_, rows) in enumerate(sheets, start=1):
        body = ""
        for r, row in enumerate(rows, start=1):
            cells = ""
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                ref = f"{col_name(c)}{r}"
                if isinstance(v, str):
                    t = v.replace("&", "&amp;").replace("<", "&lt;")
                    cells += f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{t}</t></is></c>'
                else:
                    cells += f'<c r="{ref}"><v>{v!r}</v></c>'
            body += f'<row r="{r}">{cells}</row>'
        parts.append((f"xl/worksheets/sheet{k}.xml",
                      f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{body}</sheetData></worksheet>'))
    names = "".join(f'<sheet name="{n}" sheetId="{k}" r:id="rId{k}"/>' for k, (n, _) in enumerate(sheets, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">' +
            "".join(f'<Relationship Id="rId{k}" Type="worksheet" Target="worksheets/sheet{k}.xml"/>'
                    for k in range(1, len(sheets) + 1)) + "</Relationships>")
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in [("[Content_Types].xml", types), ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", rels)] + parts:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 1, 0, 0, 0)), text)
    return buf.getvalue()


def three_p():
    """A 3P Instruments workbook: facts on Info, the isotherm on Isotherm
    (adsorption, a '---' row, desorption)."""
    info = [["Project", "NMC811"], ["Charge Name", "NMC811 lot 7"], ["Adsorbate", "N2"],
            ["Sample Weight", "0.1000(g)"], ["Started Time", "2026-05-04 10:00:00"], ["Surface Area"],
            ["BET Surface Area", 975.587, "m²/g"]]
    iso = [["ID", "p (kPa)", "p/p0", "V (cm³/g STP)", "p0 (kPa)", "Time"]]
    for k, x in enumerate(P, start=1):
        iso.append([k, x * 101.3, x, bet(x) * 22.413969545, 101.3, "10:00:00"])
    iso.append(["---"] * 6)
    for k, x in enumerate(reversed(P[-5:-1]), start=1):
        iso.append([k, x * 101.3, x, bet(x) * 22.413969545 * 1.02, 101.3, "12:00:00"])
    return xlsx([("Info", info), ("Isotherm", iso)])


def micromeritics():
    """Report pages side by side, each closed by a '|' column: Summary, then
    the Isotherm Tabular Report (adsorption up, desorption down)."""
    rows = [[None, None, None, "|"], ["3Flex 5.02", 3500, "Page 1", "|", "3Flex 5.02", 3500, "Page 1"],
            ["Sample:", "NMC811 lot 7", None, "|", "Sample:", "NMC811 lot 7"],
            ["Operator:", "Sato", None, "|"],
            ["Analysis adsorptive:", "N2", None, "|"],
            ["Analysis bath temp.:", "77.300 K", None, "|"],
            ["Sample mass:", "0.1000 g", None, "|"],
            [None, None, None, "|"],
            ["Summary Report", None, None, "|", "Isotherm Tabular Report"],
            [None, None, None, "|"],
            [None, None, None, "|", "Relative Pressure (P/Po)", "Absolute Pressure (mmHg)", "Quantity Adsorbed (cm³/g STP)"],
            ["BET Surface Area:", "975.5870 m²/g", None, "|"]]
    points = P + list(reversed(P[-5:-1]))
    for k, x in enumerate(points):
        amount = bet(x) * 22.413969545 * (1.02 if k >= len(P) else 1)
        rows.append([None, None, None, "|", x, x * 760, amount])
        if k % 5 == 4:
            rows.append([None, None, None, "|"])  # a line break of another page
    return xlsx([("Sheet1", rows)])


def bruker_raw_v3():
    """RAW1.01: a 712-byte file header, one 304-byte range header, float32 counts."""
    import struct
    head = bytearray(712)
    head[0:7] = b"RAW1.01"
    struct.pack_into("<I", head, 8, 1)     # file status: done
    struct.pack_into("<I", head, 12, 1)    # ranges
    head[16:26] = b"05/04/26\0\0"
    head[36:40] = b"Sato"
    head[326:338] = b"NMC811 lot 7"
    head[608:610] = b"Cu"
    struct.pack_into("<ddddd", head, 616, 1.5418, 1.540598, 1.544426, 1.39225, 0.5)
    rng = bytearray(304)
    struct.pack_into("<II", rng, 0, 304, len(TT))
    struct.pack_into("<dd", rng, 8, 5.0, 10.0)
    struct.pack_into("<d", rng, 176, 0.5)
    struct.pack_into("<f", rng, 192, 1.0)
    struct.pack_into("<II", rng, 224, 45, 40)
    struct.pack_into("<I", rng, 256, 0)
    return bytes(head) + bytes(rng) + struct.pack(f"<{len(TT)}f", *COUNTS)


def bruker_raw_v4():
    """RAW4.00: a 61-byte header, a hardware segment (type 30), one coupled
    range (type 0, 160-byte header) of 8-byte points (count, then a field)."""
    import struct
    head = bytearray(61)
    head[0:7] = b"RAW4.00"
    head[12:22] = b"2026-05-04"
    hw = bytearray(136)
    struct.pack_into("<II", hw, 0, 30, 136)
    struct.pack_into("<ddddd", hw, 72, 1.5418, 1.540598, 1.544426, 1.39225, 0.5)
    hw[116:118] = b"Cu"
    rng = bytearray(160)
    struct.pack_into("<I", rng, 0, 0)
    rng[32:46] = b"Locked Coupled"
    struct.pack_into("<ddIfiff", rng, 72, 10.0, 0.5, len(TT), 1.0, 0, 45.0, 40.0)
    struct.pack_into("<II", rng, 136, 8, 0)
    data = b"".join(struct.pack("<fI", c, 1) for c in COUNTS)
    return bytes(head) + bytes(hw) + bytes(rng) + data


def main():
    os.makedirs(OUT, exist_ok=True)
    write("scan.xrdml", xrdml())
    write("scan_panalytical.csv", panalytical_csv(), newline="")
    write("scan.uxd", uxd())
    write("scan.ras.bz2", bz2.compress(ras()), "wb")
    write("scan.rasx", rasx(), "wb")
    write("scan.brml", brml(), "wb")
    write("scan.xye", xye(), newline="")
    write("scan_table.csv", headed_csv())
    write("psd_mastersizer.csv", mastersizer())
    write("psd_mastersizer_no_results.csv", mastersizer(False))
    write("psd.#M3.CSV", multisizer(), newline="")
    write("psd_camsizer.xle", camsizer(), "wb")
    write("isotherm_bel.DAT", bel_dat())
    write("isotherm_quantachrome.txt", quantachrome(), "wb")
    write("isotherm.aif", aif())
    write("dsc_ta.txt", ta_dsc(), "wb")
    write("isotherm_micromeritics.xlsx", micromeritics(), "wb")
    write("isotherm_3p.xlsx", three_p(), "wb")
    write("scan_v3.raw", bruker_raw_v3(), "wb")
    write("scan_v4.raw", bruker_raw_v4(), "wb")


if __name__ == "__main__":
    main()
