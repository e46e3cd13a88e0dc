// An in-process hub on 127.0.0.1:0 over a temporary RocksDB, with one
// principal per (institution, role) whose token is "{institution}-{role}"
// and a hub admin "admin".
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "clients/cpp/hub_client.h"
#include "core/sha256.h"
#include "services/hub_server.h"

namespace batteryhub::testing {

class HubFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bhub-it-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_.string();
    config_.listen = "127.0.0.1:0";
    config_.limits.max_message_bytes = 4 << 20;
    config_.limits.max_page_size = 100;
    config_.institutions = DefaultInstitutions();
    for (const auto& inst : config_.institutions) {
      for (const char* role : {"viewer", "submitter", "steward"}) {
        const std::string token = inst.id + "-" + role;
        config_.principals.push_back({token, inst.id, ParseRole(role), Sha256Hex(token)});
      }
    }
    config_.principals.push_back({"admin", "", ::batteryhub::v1::ROLE_ADMIN, Sha256Hex("admin")});
    auto hub = HubServer::Start(config_);
    ASSERT_TRUE(hub.ok()) << hub.status();
    hub_ = std::move(*hub);
  }

  void TearDown() override {
    hub_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A client authenticated with `token` (e.g. "nrc-submitter").
  std::unique_ptr<client::HubClient> Client(const std::string& token) {
    client::ClientOptions options;
    options.hub = hub_->address();
    options.token = token;
    options.deadline = std::chrono::seconds(10);
    return std::make_unique<client::HubClient>(options);
  }

  HubConfig config_;
  std::filesystem::path dir_;
  std::unique_ptr<HubServer> hub_;
};

}  // namespace batteryhub::testing
