#include "clients/cli/demo_files.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace batteryhub::cli {
namespace {

std::vector<std::pair<double, double>> Pattern() {
  const double peaks[][2] = {{18.7, 9000}, {36.7, 3000}, {38.3, 900}, {44.4, 6500}, {48.6, 800},
                             {58.6, 900},  {64.4, 1800}, {64.9, 1500}};
  std::vector<std::pair<double, double>> out;
  for (int i = 0; i <= 1400; ++i) {
    const double x = 10 + 0.05 * i;
    double y = 120;
    for (const auto& p : peaks) y += p[1] * std::exp(-std::pow((x - p[0]) / 0.08, 2));
    out.push_back({x, std::round(y)});
  }
  return out;
}

double Erf1(double p) {  // inverse of erf by Newton: enough for a demo file
  double x = 0;
  for (int i = 0; i < 60; ++i) x -= (std::erf(x) - p) / (2 / std::sqrt(M_PI) * std::exp(-x * x));
  return x;
}

}  // namespace

DemoFile DemoXrdFile(const std::string& sample, int layout) {
  const auto points = Pattern();
  std::string out;
  switch (layout % 4) {
    case 0: {
      std::string counts;
      for (const auto& [x, y] : points) absl::StrAppend(&counts, counts.empty() ? "" : " ", y);
      out = absl::StrCat(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
          "<xrdMeasurements xmlns=\"http://www.xrdml.com/XRDMeasurement/1.6\" status=\"Completed\">\r\n"
          "\t<sample type=\"To be analyzed\"><id>", sample, "</id><name>", sample, "</name></sample>\r\n"
          "\t<xrdMeasurement measurementType=\"Scan\" status=\"Completed\" sampleMode=\"Reflection\">\r\n"
          "\t\t<usedWavelength intended=\"K-Alpha 1\"><kAlpha1 unit=\"Angstrom\">1.5405980</kAlpha1>"
          "<kAlpha2 unit=\"Angstrom\">1.5444260</kAlpha2><kBeta unit=\"Angstrom\">1.3922500</kBeta>"
          "<ratioKAlpha2KAlpha1>0.5000</ratioKAlpha2KAlpha1></usedWavelength>\r\n"
          "\t\t<incidentBeamPath><xRayTube id=\"1010048\" name=\"Empyrean Cu LFF HR\"><tension unit=\"kV\">45.0</tension>"
          "<current unit=\"mA\">40.0</current><anodeMaterial>Cu</anodeMaterial></xRayTube></incidentBeamPath>\r\n"
          "\t\t<scan appendNumber=\"0\" mode=\"Continuous\" scanAxis=\"Gonio\" status=\"Completed\">\r\n"
          "\t\t\t<header><startTimeStamp>2026-04-14T09:12:00+09:00</startTimeStamp>"
          "<endTimeStamp>2026-04-14T09:42:10+09:00</endTimeStamp><author><name>demo</name></author>"
          "<source><applicationSoftware version=\"7.2\">Data Collector</applicationSoftware>"
          "<instrumentControlSoftware version=\"7.2\">EMPYREAN</instrumentControlSoftware></source></header>\r\n"
          "\t\t\t<dataPoints><positions axis=\"2Theta\" unit=\"deg\"><startPosition>10.00000000</startPosition>"
          "<endPosition>80.00000000</endPosition></positions><commonCountingTime unit=\"seconds\">1.290"
          "</commonCountingTime><intensities unit=\"counts\">", counts, "</intensities></dataPoints>\r\n"
          "\t\t</scan>\r\n\t</xrdMeasurement>\r\n</xrdMeasurements>\r\n");
      return {"xrd-cam-1.xrdml", out};
    }
    case 1:
      out = absl::StrCat("*RAS_DATA_START\r\n*RAS_HEADER_START\r\n*FILE_OPERATOR \"demo\"\r\n*FILE_SAMPLE \"", sample,
                         "\"\r\n*HW_XG_TARGET_NAME \"Cu\"\r\n*HW_XG_WAVE_LENGTH_ALPHA1 \"1.540593\"\r\n"
                         "*HW_XG_WAVE_LENGTH_ALPHA2 \"1.544414\"\r\n*MEAS_COND_XG_VOLTAGE \"40\"\r\n"
                         "*MEAS_COND_XG_CURRENT \"30\"\r\n*MEAS_SCAN_AXIS_X \"2-Theta/Omega\"\r\n"
                         "*MEAS_SCAN_START_TIME \"04/14/26 09:12:00\"\r\n*MEAS_SCAN_UNIT_X \"deg\"\r\n"
                         "*MEAS_SCAN_UNIT_Y \"counts\"\r\n*RAS_HEADER_END\r\n*RAS_INT_START\r\n");
      for (const auto& [x, y] : points) absl::StrAppend(&out, absl::StrFormat("%.4f %.4f 1.0000\r\n", x, y));
      absl::StrAppend(&out, "*RAS_INT_END\r\n*RAS_DATA_END\r\n");
      return {"xrd-cam-1.ras", out};
    case 2:
      out = absl::StrCat("; ", sample, " (Diffrac Plus)\r\n_FILEVERSION=2\r\n_SAMPLE='", sample,
                         "'\r\n_DATEMEASURED='14-Apr-2026 09:12:00'\r\n_WL_UNIT='A'\r\n_WL1=1.540600\r\n"
                         "_WL2=1.544390\r\n_WLRATIO=0.500000\r\n_ANODE='Cu'\r\n; (Data for Range number 1)\r\n"
                         "_STEPTIME=1.000000\r\n_STEPSIZE=0.050000\r\n_START=10.000000\r\n_KV=40\r\n_MA=40\r\n"
                         "_2THETACOUNTS\r\n");
      for (const auto& [x, y] : points) absl::StrAppend(&out, absl::StrFormat("%.3f\t%.0f\r\n", x, y));
      return {"xrd-cam-1.uxd", out};
    default:
      out = absl::StrCat("[Measurement conditions]\r\nSample identification,", sample,
                         "\r\nAnode material,Cu\r\nK-Alpha1 wavelength,1.5405980\r\nK-Alpha2 wavelength,1.5444260\r\n"
                         "Ratio K-Alpha2/K-Alpha1,0.500\r\nGenerator voltage, 45\r\nTube current, 40\r\n"
                         "File date and time,14/Apr/2026 09:12\r\nScan range,10.000,80.000\r\nNo. of points, ",
                         points.size(), "\r\nTime per step,1.290\r\n[Scan points]\r\nAngle,Intensity\r\n");
      for (const auto& [x, y] : points) absl::StrAppend(&out, absl::StrFormat("%.6f,%.1f\r\n", x, y));
      return {"xrd-cam-1.csv", out};
  }
}

DemoFile DemoPsdFile(const std::string& sample, double d50) {
  const double sigma = 0.45;
  std::vector<double> edges;
  for (int i = 0; i <= 100; ++i) edges.push_back(0.01 * std::pow(10.0, 6.0 * i / 100));  // 0.01-10000 um
  auto cdf = [&](double d) { return 0.5 * (1 + std::erf(std::log(d / d50) / (sigma * std::sqrt(2.0)))); };
  auto q = [&](double p) { return d50 * std::exp(sigma * std::sqrt(2.0) * Erf1(2 * p - 1)); };
  std::string head = "Sample Name,SOP Name,Operator name,Measurement date and time,Particle name,"
                     "Particle refractive index,Dispersant name,Accessory name,Obscuration,Span,"
                     "Specific surface area,\"D [4, 3] - Volume weighted mean \",d (0.1),d (0.5),d (0.9),"
                     "Result Between User Sizes (Sizes in um)";
  std::string edge_row = ",,,,,,,,,,,,,,";
  for (size_t i = 0; i < edges.size(); ++i) absl::StrAppend(&edge_row, ",", absl::StrFormat("%.6f", edges[i]));
  for (size_t i = 1; i < edges.size(); ++i) head += ",";
  const double span = (q(0.9) - q(0.1)) / q(0.5);
  std::string row = absl::StrFormat("%s,Cathode SOP,demo,14/04/2026 10:05,NMC,1.700,Water,Hydro 2000S (A),"
                                    "11.42,%.3f,%.4f,%.3f,%.3f,%.3f,%.3f,",
                                    sample, span, 6 / (d50 * std::exp(-sigma * sigma / 2) * 4.7), d50 * std::exp(sigma * sigma),
                                    q(0.1), q(0.5), q(0.9));
  for (size_t i = 1; i < edges.size(); ++i) {
    absl::StrAppend(&row, ",", absl::StrFormat("%.6f", 100 * (cdf(edges[i]) - cdf(edges[i - 1]))));
  }
  return {"psd-cam-1.csv", absl::StrCat(head, "\n", edge_row, "\n", row, "\n")};
}

DemoFile DemoBetFile(const std::string& sample, double area) {
  const double c = 120;
  const double nm = area / (6.02214076e23 * 0.162e-18) * 1e3;  // mmol/g
  auto n = [&](double x) { return nm * c * x / ((1 - x) * (1 - x + c * x)); };
  std::string out = absl::StrCat(
      "====================\n System property Ver1.2.6\n====================\n\"Instrument S/N:\"\t00218\n"
      "=======================\n Measurement condition\n=======================\n\"Adsorptive:\"\tN2\n"
      "\"Meas. Temp./K:\"\t77.35\n====================\n Sample information\n====================\n"
      "\"Sample weight/g:\"\t2.50400\n\"Comment1:\"\t\"", sample, "\"\n\"as/m2 g-1:\"\t0.0000\n"
      "\"Date of measurement:\"\t26/04/15\n\"Time of measurement:\"\t13:20:00\n====================\n"
      " Adsorption data\n====================\n\"No.\"\t\"Pe/kPa\"\t\"P0/kPa\"\t\"Vd/ml\"\t\"V/ml(STP) g-1\"\n");
  const double xs[] = {0.02, 0.04, 0.06, 0.08, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90, 0.95};
  int k = 0;
  for (double x : xs) {
    absl::StrAppend(&out, absl::StrFormat("%d\t%.5f\t101.33\t25.102\t%.5f\n", ++k, x * 101.33, n(x) * 22.413969545));
  }
  absl::StrAppend(&out, "0\t0\t0\t0\t0\n");
  return {"bet-cam-1.DAT", out};
}

}  // namespace batteryhub::cli
