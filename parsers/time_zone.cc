#include "parsers/time_zone.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {

absl::Status ApplyTimeZone(const std::string& name, const std::string& zone, ParsedSeries* s) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(zone, &tz)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--timezone: unknown time zone '", zone, "' (an IANA name, e.g. Europe/Oslo, Asia/Tokyo, "
        "America/Toronto or UTC)"));
  }
  s->metadata["timezone"] = zone;
  const SeriesColumn* test_time = s->Find(kTimeColumn);
  for (SeriesColumn& c : s->columns) {
    if (c.name != kUnixTime || c.source_unit != "datetime") continue;
    double previous = NAN;
    for (size_t r = 0; r < c.values.size(); ++r) {
      const double v = c.values[r];
      if (!std::isfinite(v)) continue;
      // The value is the wall clock read as UTC: back to civil time.
      const double whole = std::floor(v);
      const absl::CivilSecond civil = absl::ToCivilSecond(
          absl::FromUnixSeconds(static_cast<int64_t>(whole)), absl::UTCTimeZone());
      const absl::TimeZone::TimeInfo info = tz.At(civil);
      if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": row ", r + 1, ": ", absl::FormatCivilTime(civil), " does not exist in ",
            zone, " (the clock skipped it): the file's times are not in that zone"));
      }
      double pre = absl::ToUnixSeconds(info.pre) + (v - whole);
      double chosen = pre;
      if (info.kind == absl::TimeZone::TimeInfo::REPEATED && std::isfinite(previous) &&
          test_time != nullptr && r > 0) {
        // Which of the two readings follows the last row by the test time elapsed?
        const double post = absl::ToUnixSeconds(info.post) + (v - whole);
        const double expected = previous + (test_time->values[r] - test_time->values[r - 1]);
        chosen = std::fabs(post - expected) < std::fabs(pre - expected) ? post : pre;
      }
      c.values[r] = std::round(chosen * 1e6) / 1e6;
      previous = c.values[r];
    }
    c.source_unit = absl::StrCat("datetime, local time in ", zone);
  }
  return absl::OkStatus();
}

}  // namespace batteryhub::parsers
