// Results computed from curves when a file does not report them: size
// percentiles of a distribution, and the BET surface area of an isotherm.
#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "parsers/characterization_readers.h"

namespace batteryhub::parsers {

std::optional<double> DistributionPercentile(double lower0, const std::vector<double>& upper_edges,
                                             const std::vector<double>& fraction, double p) {
  if (upper_edges.size() != fraction.size() || fraction.empty() || p < 0 || p > 1) return std::nullopt;
  double total = 0;
  for (double f : fraction) {
    if (!std::isfinite(f) || f < 0) return std::nullopt;
    total += f;
  }
  if (total <= 0) return std::nullopt;
  const double target = p * total;
  double below = 0, edge = lower0;
  for (size_t i = 0; i < fraction.size(); ++i) {
    const double next = below + fraction[i];
    if (next >= target && fraction[i] > 0) {
      const double t = (target - below) / fraction[i];
      const double hi = upper_edges[i];
      if (edge > 0 && hi > 0) return std::exp(std::log(edge) + t * (std::log(hi) - std::log(edge)));
      return edge + t * (hi - edge);
    }
    below = next;
    edge = upper_edges[i];
  }
  return upper_edges.back();
}

void AddComputedPercentiles(double lower0, const std::vector<double>& upper_edges,
                            const std::vector<double>& fraction, ParsedCharacterization* out) {
  const std::string method =
      "cumulative distribution from the file's size classes, interpolated linearly in log size "
      "between class edges (ISO 9276-2)";
  std::optional<double> d[3];
  const char* names[3] = {"d10", "d50", "d90"};
  const double ps[3] = {0.1, 0.5, 0.9};
  for (int k = 0; k < 3; ++k) {
    const CharResult* given = out->FindResult(names[k]);
    if (given != nullptr) {
      d[k] = given->value;
      continue;
    }
    d[k] = DistributionPercentile(lower0, upper_edges, fraction, ps[k]);
    if (d[k]) out->results.push_back({names[k], *d[k], "um", true, method});
  }
  if (out->FindResult("span") == nullptr && d[0] && d[1] && d[2] && *d[1] > 0) {
    out->results.push_back({"span", (*d[2] - *d[0]) / *d[1], "1", true, "(d90 - d10) / d50"});
  }
}

std::optional<BetFit> FitBet(const std::vector<double>& x_in, const std::vector<double>& n_in) {
  if (x_in.size() != n_in.size()) return std::nullopt;
  // Points of the branch with 0 < p/p0 < 1 and a positive amount, in order.
  std::vector<double> x, n;
  for (size_t i = 0; i < x_in.size() && x.size() < 5000; ++i) {
    if (x_in[i] > 0 && x_in[i] < 1 && n_in[i] > 0 && std::isfinite(n_in[i])) {
      if (!x.empty() && x_in[i] <= x.back()) continue;  // adsorption branch: p rises
      x.push_back(x_in[i]);
      n.push_back(n_in[i]);
    }
  }
  // Rouquerol 1: only the range where n(1 - p/p0) still rises.
  size_t top = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (n[i] * (1 - x[i]) > n[top] * (1 - x[top])) top = i;
  }
  const size_t m = x.empty() ? 0 : top + 1;
  if (m < 3) return std::nullopt;
  std::vector<double> y(m);
  for (size_t i = 0; i < m; ++i) y[i] = x[i] / (n[i] * (1 - x[i]));
  std::optional<BetFit> best;
  for (size_t i = 0; i < m; ++i) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (size_t j = i; j < m; ++j) {
      sx += x[j];
      sy += y[j];
      sxx += x[j] * x[j];
      sxy += x[j] * y[j];
      syy += y[j] * y[j];
      const size_t k = j - i + 1;
      if (k < 3) continue;
      const double kd = static_cast<double>(k);
      const double den = kd * sxx - sx * sx;
      if (den <= 0) continue;
      const double slope = (kd * sxy - sx * sy) / den;
      const double intercept = (sy - slope * sx) / kd;
      // Rouquerol 2: C > 0 (a positive intercept).
      if (intercept <= 0 || slope <= 0) continue;
      const double c = slope / intercept + 1;
      const double nm = 1 / (slope + intercept);
      // Rouquerol 3: the monolayer's relative pressure lies in the range.
      const double xm = 1 / (std::sqrt(c) + 1);
      // (A measured point at the monolayer pressure counts: no rounding excludes it.)
      if (xm < x[i] * (1 - 1e-9) || xm > x[j] * (1 + 1e-9)) continue;
      const double sst = syy - sy * sy / kd;
      const double ssr = slope * (sxy - sx * sy / kd);
      const double r2 = sst > 0 ? ssr / sst : 1;
      if (!best || k > best->points || (k == best->points && r2 > best->r_squared)) {
        best = BetFit{nm, c, x[i], x[j], k, r2};
      }
    }
  }
  return best;
}

std::optional<double> CrossSectionNm2(absl::string_view adsorptive) {
  const std::string a = absl::AsciiStrToLower(absl::StripAsciiWhitespace(adsorptive));
  if (a == "n2" || a == "nitrogen") return 0.162;
  if (a == "ar" || a == "argon") return 0.142;
  if (a == "kr" || a == "krypton") return 0.202;
  return std::nullopt;
}

void AddComputedBet(const std::string& adsorptive, ParsedCharacterization* out) {
  if (out->FindResult("bet_surface_area") != nullptr || out->curves.empty()) return;
  const CharCurve& branch = out->curves[0];
  std::optional<double> sigma = CrossSectionNm2(adsorptive);
  if (!sigma) {
    out->metadata["bet.not_computed"] = absl::StrCat(
        "no BET area: no agreed molecular cross-section for adsorptive '", adsorptive,
        "' (computed for N2, Ar and Kr)");
    return;
  }
  if (branch.y_unit != "mmol/g" || branch.x_unit != "1") {
    out->metadata["bet.not_computed"] = "no BET area: the isotherm is not per gram of sample";
    return;
  }
  std::optional<BetFit> fit = FitBet(branch.x, branch.y);
  if (!fit) {
    out->metadata["bet.not_computed"] =
        "no BET area: no range of three or more points meets the Rouquerol criteria";
    return;
  }
  constexpr double kAvogadro = 6.02214076e23;
  const double area = fit->monolayer_mmol_per_g * 1e-3 * kAvogadro * *sigma * 1e-18;
  const std::string method = absl::StrFormat(
      "multipoint BET (ISO 9277), range by the Rouquerol criteria: %d points, p/p0 %.4g-%.4g, "
      "R^2 %.5f, cross-section %.3f nm^2",
      fit->points, fit->p_low, fit->p_high, fit->r_squared, *sigma);
  out->results.push_back({"bet_surface_area", area, "m2/g", true, method});
  out->results.push_back({"bet_c_constant", fit->c_constant, "1", true, method});
  out->results.push_back({"bet_monolayer_capacity", fit->monolayer_mmol_per_g, "mmol/g", true, method});
  out->results.push_back({"bet_fit_p_low", fit->p_low, "1", true, method});
  out->results.push_back({"bet_fit_p_high", fit->p_high, "1", true, method});
}

}  // namespace batteryhub::parsers
