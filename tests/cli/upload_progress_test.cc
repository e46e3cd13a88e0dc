// The amounts and durations progress lines print.
#include "clients/cli/upload_progress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace batteryhub::cli {
namespace {

TEST(UploadProgress, AmountsWithSiPrefixes) {
  EXPECT_EQ(UploadProgress::Amount(512, "B"), "512 B");
  EXPECT_EQ(UploadProgress::Amount(1234567, "B"), "1.2 MB");
  EXPECT_EQ(UploadProgress::Amount(35.2e6, "B/s"), "35.2 MB/s");
  EXPECT_EQ(UploadProgress::Amount(999, "rows"), "999 rows");
  EXPECT_EQ(UploadProgress::Amount(50000, "rows"), "50.00 k rows");
  EXPECT_EQ(UploadProgress::Amount(2.5e6, ""), "2.50 M");
}

TEST(UploadProgress, DurationsInSecondsMinutesHours) {
  EXPECT_EQ(UploadProgress::Duration(4.4), "4 s");
  EXPECT_EQ(UploadProgress::Duration(200), "3 min 20 s");
  EXPECT_EQ(UploadProgress::Duration(7325), "2 h 2 min");
  EXPECT_EQ(UploadProgress::Duration(-1), "?");
  EXPECT_EQ(UploadProgress::Duration(std::nan("")), "?");
}

}  // namespace
}  // namespace batteryhub::cli
