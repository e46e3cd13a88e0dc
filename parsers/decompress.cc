#include "parsers/decompress.h"

#include <algorithm>
#include <cstdint>

#include <bzlib.h>
#include <zlib.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace batteryhub::parsers {
namespace {

size_t LimitFor(absl::string_view b) { return std::min<size_t>(size_t{1} << 30, b.size() * 200 + 4096); }

absl::Status Refuse(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
}

}  // namespace

bool IsGzip(absl::string_view b) { return absl::StartsWith(b, "\x1f\x8b"); }

bool IsBzip2(absl::string_view b) {
  return b.size() >= 10 && absl::StartsWith(b, "BZh") && b[3] >= '1' && b[3] <= '9';
}

absl::StatusOr<std::string> Gunzip(const std::string& name, absl::string_view b) {
  const size_t limit = LimitFor(b);
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return absl::InternalError("zlib init");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(b.size(), UINT32_MAX));
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() >= limit) {
      inflateEnd(&z);
      return Refuse(name, absl::StrCat("gzip content inflates beyond ", limit, " bytes"));
    }
    const size_t at = out.size();
    out.resize(std::min(limit, std::max<size_t>(at * 2, 1 << 16)));
    z.next_out = reinterpret_cast<Bytef*>(out.data() + at);
    z.avail_out = static_cast<uInt>(out.size() - at);
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(out.size() - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in > 0) rc = Z_OK;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return Refuse(name, "damaged or truncated gzip stream");
  return out;
}

absl::StatusOr<std::string> Bunzip2(const std::string& name, absl::string_view b) {
  const size_t limit = LimitFor(b);
  bz_stream z{};
  if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK) return absl::InternalError("bzip2 init");
  z.next_in = const_cast<char*>(b.data());
  z.avail_in = static_cast<unsigned>(std::min<size_t>(b.size(), UINT32_MAX));
  std::string out;
  int rc = BZ_OK;
  while (rc == BZ_OK) {
    if (out.size() >= limit) {
      BZ2_bzDecompressEnd(&z);
      return Refuse(name, absl::StrCat("bzip2 content inflates beyond ", limit, " bytes"));
    }
    const size_t at = out.size();
    out.resize(std::min(limit, std::max<size_t>(at * 2, 1 << 16)));
    z.next_out = out.data() + at;
    z.avail_out = static_cast<unsigned>(out.size() - at);
    rc = BZ2_bzDecompress(&z);
    out.resize(out.size() - z.avail_out);
    if (rc == BZ_OK && z.avail_in == 0 && z.avail_out > 0) break;  // input ended early
  }
  BZ2_bzDecompressEnd(&z);
  if (rc != BZ_STREAM_END) return Refuse(name, "damaged or truncated bzip2 stream");
  return out;
}

}  // namespace batteryhub::parsers
