#include "clients/cli/upload_progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace batteryhub::cli {

UploadProgress::UploadProgress(bool wanted)
    : on_(wanted && isatty(2)),
      raw_start_(std::chrono::steady_clock::now()),
      rows_start_(raw_start_),
      last_draw_(raw_start_ - std::chrono::seconds(1)) {}

UploadProgress::~UploadProgress() {
  if (drawn_) std::fprintf(stderr, "\n");
}

std::string UploadProgress::Amount(double value, const char* unit) {
  const char* prefixes[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (std::fabs(value) >= 1000 && i < 4) {
    value /= 1000;
    ++i;
  }
  const std::string u = unit;
  const bool bytes = u.rfind("B", 0) == 0;  // "B", "B/s"
  std::string text = i == 0 ? absl::StrFormat("%.0f", value)
                            : absl::StrFormat(bytes ? "%.1f" : "%.2f", value);
  if (bytes) return absl::StrCat(text, " ", prefixes[i], u);  // "1.2 MB", "35.0 MB/s"
  if (i > 0) absl::StrAppend(&text, " ", prefixes[i]);       // "50.00 k rows"
  if (!u.empty()) absl::StrAppend(&text, " ", u);
  return text;
}

std::string UploadProgress::Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  if (s < 60) return absl::StrCat(s, " s");
  if (s < 3600) return absl::StrCat(s / 60, " min ", s % 60, " s");
  return absl::StrCat(s / 3600, " h ", (s % 3600) / 60, " min");
}

void UploadProgress::RawBytes(int64_t sent, int64_t total) {
  if (!on_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (rows_started_) return;  // the rows line has taken over
  Draw("raw file", sent, total, "B", raw_start_);
}

void UploadProgress::Rows(int64_t done, int64_t total) {
  if (!on_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!rows_started_) {
    rows_started_ = true;
    rows_start_ = std::chrono::steady_clock::now();
    last_draw_ = rows_start_ - std::chrono::seconds(1);
  }
  Draw("rows", done, total, "rows", rows_start_);
}

void UploadProgress::Draw(const char* what, int64_t done, int64_t total, const char* unit,
                          std::chrono::steady_clock::time_point start) {
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start).count();
  const double rate = seconds > 0 ? done / seconds : 0;
  const int percent = total > 0 ? static_cast<int>(done * 100 / total) : 100;
  std::string bar(static_cast<size_t>(percent / 5), '#');
  bar.resize(20, ' ');
  const bool bytes = std::string(unit) == "B";
  std::string line = absl::StrCat(
      "\r", what, " [", bar, "] ", percent, "% ", Amount(done, bytes ? "B" : ""), "/",
      Amount(total, unit), ", ", Amount(rate, bytes ? "B/s" : "rows/s"));
  if (done < total && rate > 0) absl::StrAppend(&line, ", ", Duration((total - done) / rate), " left");
  absl::StrAppend(&line, "\x1b[K");
  std::fputs(line.c_str(), stderr);
  drawn_ = true;
}

}  // namespace batteryhub::cli
