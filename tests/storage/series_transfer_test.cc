// A series and its raw file carried between two stores as typed pieces:
// what arrives reads back exactly as at the origin, under the receiver's
// own keys; a piece of another raw file, chunks out of order or a digest
// that does not add up leave nothing behind and the series pending.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "core/sha256.h"
#include "storage/series_store.h"
#include "storage/series_transfer.h"

namespace batteryhub::storage {
namespace {

const char* kTest = "institutions/aist/cellTests/t1";

class SeriesTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("bhub-transfer-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    using Slot = std::pair<const char*, std::unique_ptr<RecordStore>*>;
    for (auto [dir, store] : {Slot{"origin", &origin_}, Slot{"local", &local_}}) {
      auto opened = RecordStore::Open((root_ / dir).string());
      ASSERT_TRUE(opened.ok()) << opened.status();
      *store = std::move(*opened);
    }
    // Three chunks of two columns, two cycles, a raw file of three parts.
    SeriesStore series(origin_.get());
    std::mt19937 rng(5);
    std::vector<RawWrite> writes;
    std::string digest;
    std::vector<std::vector<double>> data(6);
    for (int chunk = 0; chunk < 3; ++chunk) {
      ChunkColumns columns;
      for (int c = 0; c < 2; ++c) {
        auto& v = data[chunk * 2 + c];
        for (int i = 0; i < 100; ++i) v.push_back(std::uniform_real_distribution<double>(0, 4)(rng));
        columns.emplace_back(c == 0 ? "test_time_second" : "voltage_volt", absl::MakeConstSpan(v));
      }
      for (RawWrite& w : series.ChunkWrites(kTest, chunk * 100, columns, &digest)) writes.push_back(std::move(w));
    }
    for (int c = 1; c <= 2; ++c) {
      batteryhub::v1::CycleSummary s;
      s.set_cycle(c);
      s.set_discharge_capacity_ampere_hour(0.001 * c);
      writes.push_back(SeriesStore::CycleWrite(kTest, s));
    }
    std::string bytes;
    for (int p = 0; p < 3; ++p) bytes += std::string(1000, static_cast<char>('x' + p));
    sha_ = Sha256Hex(bytes);
    BlobMeta meta;
    meta.set_sha256(sha_);
    meta.set_size_bytes(3 * 1000);
    meta.set_parts(3);
    writes.push_back(SeriesStore::BlobMetaWrite(meta));
    for (int p = 0; p < 3; ++p) {
      writes.push_back(SeriesStore::BlobPartWrite(meta.sha256(), p, std::string(1000, static_cast<char>('x' + p))));
    }
    ASSERT_TRUE(series.Write(writes).ok());
    info_.set_row_count(300);
    info_.set_digest(digest);
    info_.add_sources()->set_sha256(meta.sha256());
  }
  void TearDown() override {
    origin_.reset();
    local_.reset();
    std::filesystem::remove_all(root_);
  }

  // Every piece of the origin's series, in export order.
  std::vector<SeriesPiece> Export() {
    std::vector<SeriesPiece> out;
    std::unique_ptr<ReadView> view = origin_->View();
    EXPECT_TRUE(ExportSeries(*view, kTest, {sha_}, [&](SeriesPiece& p) {
                  out.push_back(p);
                  return absl::OkStatus();
                }).ok());
    return out;
  }

  absl::StatusOr<std::unique_ptr<ReplicaSeriesLoad>> Begin() {
    return ReplicaSeriesLoad::Begin(local_.get(), kTest, 0, {sha_});
  }

  // What a store holds of the series: digest, chunk values, cycles, file.
  std::string Holding(RecordStore* store) {
    SeriesStore series(store);
    std::string out;
    absl::StatusOr<std::string> digest = series.SeriesDigest(kTest);
    out += digest.ok() ? *digest : "?";
    EXPECT_TRUE(series.ReadChunks(kTest, {}, 0, 1000, [&](ReadChunk& c) {
                  for (const auto& [name, values] : c.columns) {
                    out += "|" + name + ":" + std::to_string(values.size()) + ":" +
                           std::to_string(values.empty() ? 0 : values.back());
                  }
                  return true;
                }).ok());
    absl::StatusOr<std::vector<batteryhub::v1::CycleSummary>> cycles = series.ListCycles(kTest, 0, 10);
    if (cycles.ok()) out += "|cycles:" + std::to_string(cycles->size());
    std::string file;
    absl::Status read = series.ReadBlob(sha_, [&](absl::string_view d) {
      file.append(d.data(), d.size());
      return true;
    });
    out += "|file:" + std::to_string(read.ok() ? file.size() : 0);
    return out;
  }

  std::filesystem::path root_;
  std::unique_ptr<RecordStore> origin_, local_;
  batteryhub::v1::SeriesInfo info_;
  std::string sha_;
};

TEST_F(SeriesTransferTest, WhatArrivesReadsBackAsAtTheOrigin) {
  std::vector<SeriesPiece> pieces = Export();
  ASSERT_EQ(pieces.size(), 3u * 2 + 2 + 1 + 3);
  auto load = Begin();
  ASSERT_TRUE(load.ok()) << load.status();
  for (SeriesPiece& p : pieces) ASSERT_TRUE((*load)->Add(p).ok());
  ASSERT_TRUE((*load)->Finish(info_, info_.digest(), 7).ok());
  const std::string origin = Holding(origin_.get());
  EXPECT_NE(origin.find("|cycles:2|file:3000"), std::string::npos) << origin;
  EXPECT_EQ(origin.rfind(info_.digest(), 0), 0u) << origin;
  EXPECT_EQ(Holding(local_.get()), origin);
  EXPECT_EQ(*SeriesStore(local_.get()).ReplicaSeriesRevision(kTest), 7u);
}

TEST_F(SeriesTransferTest, ARefusedPieceOrDigestLeavesNothingAndTheSeriesPending) {
  // A part of a raw file the series does not name.
  {
    auto load = Begin();
    ASSERT_TRUE(load.ok());
    std::vector<SeriesPiece> pieces = Export();
    for (size_t i = 0; i < 7; ++i) ASSERT_TRUE((*load)->Add(pieces[i]).ok());
    SeriesPiece foreign;
    foreign.type = SeriesPiece::Type::kRawFilePart;
    foreign.sha256 = std::string(64, 'b');
    foreign.data = "x";
    EXPECT_TRUE(absl::IsInvalidArgument((*load)->Add(foreign)));
  }
  // Chunks out of key order.
  {
    auto load = Begin();
    ASSERT_TRUE(load.ok());
    std::vector<SeriesPiece> pieces = Export();
    ASSERT_TRUE((*load)->Add(pieces[2]).ok());
    absl::Status out_of_order = (*load)->Add(pieces[0]);
    EXPECT_TRUE(absl::IsInvalidArgument(out_of_order));
    EXPECT_NE(out_of_order.message().find("key order"), std::string::npos);
  }
  // Every piece, but a digest that does not add up.
  {
    auto load = Begin();
    ASSERT_TRUE(load.ok());
    for (SeriesPiece& p : Export()) ASSERT_TRUE((*load)->Add(p).ok());
    absl::Status mismatch = (*load)->Finish(info_, "not the digest", 7);
    EXPECT_TRUE(absl::IsInvalidArgument(mismatch));
  }
  // Every piece, but one byte of the raw file altered: the series checks
  // out, the file does not match its SHA-256.
  {
    auto load = Begin();
    ASSERT_TRUE(load.ok());
    for (SeriesPiece& p : Export()) {
      if (p.type == SeriesPiece::Type::kRawFilePart && p.part == 1) p.data[10] ^= 1;
      ASSERT_TRUE((*load)->Add(p).ok());
    }
    absl::Status altered = (*load)->Finish(info_, info_.digest(), 7);
    EXPECT_TRUE(absl::IsInvalidArgument(altered)) << altered;
    EXPECT_NE(altered.message().find("SHA-256"), std::string::npos) << altered;
  }
  SeriesStore local(local_.get());
  EXPECT_FALSE(local.LoadBlob(sha_)->has_value());
  std::string leftover;
  EXPECT_TRUE(local.ReadBlob(sha_, [&](absl::string_view d) {
    leftover.append(d.data(), d.size());
    return true;
  }).ok() || leftover.empty());
  EXPECT_EQ(leftover, "");
  EXPECT_EQ(*local.SeriesDigest(kTest), "");
  EXPECT_TRUE(local.ListCycles(kTest, 0, 10)->empty());
  EXPECT_EQ(*local.ReplicaSeriesRevision(kTest), 0u);  // pending
}

}  // namespace
}  // namespace batteryhub::storage
