#include "parsers/zip_archive.h"

#include <zip.h>

#include "absl/strings/str_cat.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
}

}  // namespace

void ZipArchive::Closer::operator()(zip* z) const { zip_discard(z); }

absl::StatusOr<ZipArchive> ZipArchive::Open(const std::string& name, absl::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (src == nullptr) return Error(name, "not a readable ZIP container");
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (z == nullptr) {
    zip_source_free(src);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Error(name, absl::StrCat("not a readable ZIP container (", why, ")"));
  }
  zip_error_fini(&error);
  return ZipArchive(name, z);
}

bool ZipArchive::Has(const std::string& member) const {
  return zip_name_locate(zip_.get(), member.c_str(), 0) >= 0;
}

std::vector<std::string> ZipArchive::Members() const {
  std::vector<std::string> out;
  const zip_int64_t n = zip_get_num_entries(zip_.get(), 0);
  for (zip_int64_t i = 0; i < n && i < 100000; ++i) {
    if (const char* name = zip_get_name(zip_.get(), static_cast<zip_uint64_t>(i), 0)) {
      out.emplace_back(name);
    }
  }
  return out;
}

absl::StatusOr<std::string> ZipArchive::Read(const std::string& member, size_t limit) const {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip_.get(), member.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
    return Error(name_, absl::StrCat("no member '", member, "'"));
  }
  if (st.size > limit) {
    return Error(name_, absl::StrCat("member '", member, "' inflates to ", st.size,
                                     " bytes, more than the ", limit, " this reader takes"));
  }
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> f(zip_fopen(zip_.get(), member.c_str(), 0),
                                                      zip_fclose);
  if (!f) return Error(name_, absl::StrCat("member '", member, "' cannot be opened"));
  std::string out(static_cast<size_t>(st.size), '\0');
  zip_uint64_t got = 0;
  while (got < st.size) {
    const zip_int64_t n = zip_fread(f.get(), out.data() + got, st.size - got);
    if (n <= 0) return Error(name_, absl::StrCat("member '", member, "' is damaged"));
    got += static_cast<zip_uint64_t>(n);
  }
  return out;
}

}  // namespace batteryhub::parsers
