// Parse throughput: ParseExport on a text export repeated to SIZE MB (the
// header and preamble once, the data lines again and again), and on binary
// natives parsed many times. Prints one JSON line per input.
//   parse_bench TEXT_FILE [MB] [BINARY_FILE...]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "parsers/parse_export.h"

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The file with its data lines (after `keep` lines) repeated to `bytes`.
std::string Grow(const std::string& text, size_t keep, size_t bytes) {
  size_t at = 0;
  for (size_t i = 0; i < keep && at != std::string::npos; ++i) at = text.find('\n', at) + 1;
  const std::string head = text.substr(0, at);
  std::string body = text.substr(at);
  if (!body.empty() && body.back() != '\n') body.push_back('\n');
  std::string out = head;
  while (out.size() < bytes) out += body;
  return out;
}

double Seconds(const std::chrono::steady_clock::time_point& since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_bench TEXT_FILE [MB] [BINARY_FILE...]\n");
    return 2;
  }
  const size_t mb = argc > 2 ? std::stoul(argv[2]) : 100;
  const std::string text = Grow(Read(argv[1]), 1, mb << 20);
  const std::string grown = "/tmp/parse_bench_grown.csv";
  std::ofstream(grown, std::ios::binary) << text;  // for the peer, the same bytes
  double best = 1e9;
  size_t rows = 0;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    auto s = batteryhub::parsers::ParseExport("bench.csv", text);
    const double sec = Seconds(t0);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
      return 1;
    }
    rows = s->rows();
    best = std::min(best, sec);
  }
  std::printf("{\"input\":\"text\",\"file\":\"%s\",\"bytes\":%zu,\"rows\":%zu,\"seconds\":%.4f,"
              "\"mb_per_s\":%.1f,\"rows_per_s\":%.0f,\"grown\":\"%s\"}\n",
              argv[1], text.size(), rows, best, text.size() / best / 1e6, rows / best,
              grown.c_str());
  for (int i = 3; i < argc; ++i) {
    const std::string bytes = Read(argv[i]);
    size_t total_rows = 0;
    const auto t0 = std::chrono::steady_clock::now();
    int runs = 0;
    while (Seconds(t0) < 2.0) {
      auto s = batteryhub::parsers::ParseExport(argv[i], bytes);
      if (!s.ok()) {
        std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
        return 1;
      }
      total_rows += s->rows();
      ++runs;
    }
    const double sec = Seconds(t0);
    std::printf("{\"input\":\"binary\",\"file\":\"%s\",\"bytes\":%zu,\"runs\":%d,"
                "\"mb_per_s\":%.1f,\"rows_per_s\":%.0f}\n",
                argv[i], bytes.size(), runs, bytes.size() * runs / sec / 1e6, total_rows / sec);
  }
  return 0;
}
