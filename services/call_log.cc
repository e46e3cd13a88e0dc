#include "services/call_log.h"

#include "domain/rate_limit.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace batteryhub {

void LogCall(const std::string& method, const std::string& principal, const std::string& resource,
             const absl::Status& status, std::chrono::steady_clock::duration elapsed) {
  // A flood (of refused calls, say) cannot fill the disk or hold the hub on
  // stderr: past 500 lines a second, lines are counted, not written.
  static RateLimit* limit = new RateLimit(500, 2000);
  if (!limit->Allow()) return;
  nlohmann::json line = {
      {"time", absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())},
      {"method", method},
      {"principal", principal},
      {"resource", resource},
      {"code", absl::StatusCodeToString(status.code())},
      {"ms", std::chrono::duration<double, std::milli>(elapsed).count()},
  };
  if (!status.ok()) line["error"] = std::string(status.message().substr(0, 512));
  if (const uint64_t dropped = limit->TakeRefused()) line["suppressed_before"] = dropped;
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(stderr, "%s\n", text.c_str());
}

}  // namespace batteryhub
