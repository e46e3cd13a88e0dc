// bhub watch DIR... --map FILE: the harvester. It scans the folders, and
// uploads a file that is new or has grown once it has been quiet for
// --quiet seconds, with the same reader and growth rule as `bhub upload`:
// the hub's record of what it took from each raw file decides what is new,
// so a lost state file costs time, never rows. The state file remembers
// what each file looked like when it was last taken (size, mtime), what was
// refused (not tried again until the file changes), and the retry time of a
// file whose upload failed (the hub down: backoff doubling to 10 min).
// One JSON line per action on stdout. SIGTERM or SIGINT stop it between
// files.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/cli.h"
#include "clients/cli/json_text.h"
#include "clients/cli/file_upload.h"
#include "clients/cli/upload_map.h"

namespace batteryhub::cli {
namespace {

volatile sig_atomic_t stop_requested = 0;
void OnStop(int) { stop_requested = 1; }

// What the harvester knows of one file.
struct FileState {
  int64_t size = -1, mtime_ns = -1;      // at the last scan
  int64_t taken_size = -1, taken_mtime_ns = -1;  // when last appended/unchanged/refused/skipped
  std::string outcome;                   // of the last try
  int failures = 0;                      // in a row
  int64_t retry_at = 0;                  // unix seconds
};

using State = std::map<std::string, FileState>;

int64_t Now() { return absl::ToUnixSeconds(absl::Now()); }

std::string Rfc3339Now() { return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()); }

void Log(nlohmann::json line) {
  line["time"] = Rfc3339Now();
  std::printf("%s\n", JsonText(line).c_str());
  std::fflush(stdout);
}

// A field of a state entry, or `fallback` when it is missing or not an
// integer (a state file edited by hand must not stop the harvester).
int64_t Int(const nlohmann::json& entry, const char* key, int64_t fallback = -1) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

State LoadState(const std::string& path) {
  State state;
  std::ifstream in(path);
  if (!in) return state;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_object()) {
    Log({{"action", "state-unreadable"},
         {"file", path},
         {"message", "the state file is not one; starting afresh (the hub decides what is new)"}});
    return state;
  }
  for (const auto& [name, f] : j["files"].items()) {
    if (!f.is_object()) continue;
    FileState s;
    s.size = Int(f, "size");
    s.mtime_ns = Int(f, "mtimeNs");
    s.taken_size = Int(f, "takenSize");
    s.taken_mtime_ns = Int(f, "takenMtimeNs");
    s.failures = static_cast<int>(std::clamp<int64_t>(Int(f, "failures", 0), 0, 64));
    s.retry_at = Int(f, "retryAt", 0);
    if (f.contains("outcome") && f["outcome"].is_string()) s.outcome = f["outcome"];
    state[name] = s;
  }
  return state;
}

// Written to a temporary file, synced and renamed over the old one: a kill
// at any point leaves the old state or the new.
bool SaveState(const std::string& path, const State& state) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, s] : state) {
    files[name] = {{"size", s.size},           {"mtimeNs", s.mtime_ns},
                   {"takenSize", s.taken_size},
                   {"takenMtimeNs", s.taken_mtime_ns}, {"outcome", s.outcome},
                   {"failures", s.failures},    {"retryAt", s.retry_at}};
  }
  const std::string text = JsonText(nlohmann::json({{"version", 1}, {"files", files}}), 1) + "\n";
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return false;
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size() &&
                       std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  std::fclose(f);
  return written && std::rename(tmp.c_str(), path.c_str()) == 0;
}

int ParseSeconds(const Args& args, const char* flag, int fallback, int min, int* out) {
  *out = fallback;
  if (!args.Has(flag)) return kExitOk;
  if (!absl::SimpleAtoi(args.Get(flag), out) || *out < min || *out > 86400) {
    return UsageError(absl::StrCat("--", flag, " must be a number of seconds, ", min, " to 86400"));
  }
  return kExitOk;
}

}  // namespace

int RunWatch(Cli& cli, const Args& args) {
  const std::vector<std::string> dirs(args.positionals().begin() + 1, args.positionals().end());
  if (!args.Has("map") && !args.Has("cell-test")) {
    return UsageError("bhub watch needs --map FILE or --cell-test NAME");
  }
  absl::StatusOr<UploadRequest> options = UploadRequestOf(args);
  if (!options.ok()) return UsageError(std::string(options.status().message()));
  if (options->dry_run) return UsageError("bhub watch has no --dry-run: try bhub upload DIR --dry-run");
  options->progress = false;
  absl::StatusOr<UploadMap> map = UploadMapOf(args);
  if (!map.ok()) {
    std::fprintf(stderr, "bhub: %s\n", std::string(map.status().message()).c_str());
    return absl::IsNotFound(map.status()) ? kExitNoInput : kExitUsage;
  }
  for (const std::string& d : dirs) {
    struct stat st;
    if (::stat(d.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      std::fprintf(stderr, "bhub: watch: '%s' is not a folder\n", d.c_str());
      return kExitNoInput;
    }
  }
  int quiet = 0, interval = 0;
  if (int code = ParseSeconds(args, "quiet", 60, 0, &quiet); code != kExitOk) return code;
  if (int code = ParseSeconds(args, "interval", 10, 1, &interval); code != kExitOk) return code;
  const std::string state_path = args.Get("state", dirs.front() + "/.bhub-watch.json");
  State state = LoadState(state_path);
  signal(SIGTERM, OnStop);
  signal(SIGINT, OnStop);
  // A hub that is down answers at once: the harvester waits for it by its
  // own backoff, not by the client's retries.
  cli.options.max_attempts = 2;
  cli.client = std::make_unique<client::HubClient>(cli.options);
  Log({{"action", "started"}, {"folders", dirs}, {"state", state_path}, {"quiet", quiet},
       {"interval", interval}});
  while (!stop_requested) {
    std::vector<std::string> problems;
    const std::vector<FoundFile> files = FindFiles(dirs, true, &problems);
    for (const std::string& p : problems) Log({{"action", "scan-failed"}, {"message", p}});
    bool dirty = false;
    for (const FoundFile& f : files) {
      if (stop_requested) break;
      if (f.path == state_path || f.path == state_path + ".tmp") continue;
      struct stat st;
      if (::stat(f.path.c_str(), &st) != 0) continue;
      const int64_t size = st.st_size;
      const int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
      FileState& s = state[f.path];
      const int64_t now = Now();
      if (s.size != size || s.mtime_ns != mtime_ns) {
        s.size = size;
        s.mtime_ns = mtime_ns;
        s.failures = 0;
        s.retry_at = 0;
        dirty = true;
      }
      if (s.taken_size == size && s.taken_mtime_ns == mtime_ns) continue;  // nothing new
      // Quiet: not written to for --quiet seconds (a cycler appends a row
      // every few seconds while a step runs).
      if (now - int64_t{st.st_mtim.tv_sec} < quiet || now < s.retry_at) continue;
      UploadRequest r = *options;
      r.path = f.path;
      r.cell_test = map->CellTestOf(f.relative);
      nlohmann::json line = {{"file", f.path}};
      if (r.cell_test.empty()) {
        line["action"] = "skipped";
        line["message"] = "no rule of the mapping matches it";
        s.outcome = "skipped";
        s.taken_size = size;
        s.taken_mtime_ns = mtime_ns;
      } else {
        line["cellTest"] = r.cell_test;
        const UploadOutcome o = UploadFile(cli, r);
        line["action"] = OutcomeName(o.kind);
        line["message"] = o.message;
        line["newRows"] = o.new_rows;
        if (!o.format.empty()) line["format"] = o.format;
        if (o.kind == UploadOutcome::Kind::kAppended || o.kind == UploadOutcome::Kind::kUnchanged) {
          line["seriesRows"] = o.series_rows;
        }
        if (!o.notes.empty()) line["notes"] = o.notes;
        s.outcome = OutcomeName(o.kind);
        if (o.kind == UploadOutcome::Kind::kFailed) {
          // The hub down, or the file unreadable for now: try again later.
          ++s.failures;
          const int64_t wait = std::min<int64_t>(600, int64_t{interval} << std::min(s.failures - 1, 10));
          s.retry_at = Now() + wait;
          line["retryInSeconds"] = wait;
        } else {
          s.failures = 0;
          s.retry_at = 0;
          // A file whose last line is still being written has rows to come:
          // it is taken again when it changes, as every file is.
          s.taken_size = size;
          s.taken_mtime_ns = mtime_ns;
        }
      }
      Log(std::move(line));
      dirty = true;
      if (!SaveState(state_path, state)) {
        Log({{"action", "state-unwritable"}, {"file", state_path},
             {"message", "cannot write the state file; going on (the hub decides what is new)"}});
      }
    }
    // Files that are gone are forgotten.
    for (auto it = state.begin(); it != state.end();) {
      struct stat st;
      if (::stat(it->first.c_str(), &st) != 0) {
        it = state.erase(it);
        dirty = true;
      } else {
        ++it;
      }
    }
    if (dirty) SaveState(state_path, state);
    if (args.Has("once")) break;
    for (int i = 0; i < interval * 10 && !stop_requested; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  SaveState(state_path, state);
  Log({{"action", "stopped"}});
  return kExitOk;
}

}  // namespace batteryhub::cli
