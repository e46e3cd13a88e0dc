// Progress of one upload on a terminal (stderr): the raw file's bytes, then
// the rows, each with its rate and time left. Nothing when stderr is not a
// terminal (logs and pipes get the per-file line instead).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace batteryhub::cli {

class UploadProgress {
 public:
  explicit UploadProgress(bool wanted);
  ~UploadProgress();
  // Called from the raw-file upload's thread.
  void RawBytes(int64_t sent, int64_t total);
  void Rows(int64_t done, int64_t total);

  // "12.3 MB", "1.2 k rows"; "3 min 20 s" (for tests and the harvester).
  static std::string Amount(double value, const char* unit);
  static std::string Duration(double seconds);

 private:
  void Draw(const char* what, int64_t done, int64_t total, const char* unit,
            std::chrono::steady_clock::time_point start);

  bool on_;
  bool drawn_ = false;
  std::mutex mu_;
  std::chrono::steady_clock::time_point raw_start_, rows_start_, last_draw_;
  bool rows_started_ = false;
};

}  // namespace batteryhub::cli
