// Instrument files for `bhub demo load`, written in the layouts of the
// instruments the hub reads (PANalytical XRDML and CSV, Rigaku RAS, Bruker
// UXD, Malvern Mastersizer CSV, MicrotracBEL .DAT), from known values, so
// the demo's characterisations come in through the same readers, records
// and raw-file path as a lab's.
#pragma once

#include <string>

namespace batteryhub::cli {

struct DemoFile {
  std::string name;   // e.g. "xrd-cam-1.xrdml"
  std::string bytes;
};

// A layered-oxide diffractogram, 10-80 deg 2θ; `layout` 0-3 picks XRDML,
// RAS, UXD or PANalytical CSV.
DemoFile DemoXrdFile(const std::string& sample, int layout);
// A log-normal volume distribution with this median, as a Mastersizer
// 2000 export (d(0.1), d(0.5), d(0.9) and span reported).
DemoFile DemoPsdFile(const std::string& sample, double d50_um);
// An N2 isotherm at 77 K drawn from the BET equation for this area (C =
// 120), as a BELSORP .DAT (no area stored: the hub computes it).
DemoFile DemoBetFile(const std::string& sample, double area_m2_per_g);

}  // namespace batteryhub::cli
