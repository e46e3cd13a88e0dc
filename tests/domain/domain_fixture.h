// The domain layer over a real store in a temporary directory, with no
// server and no gRPC: a policy engine for the four institutions, the dev
// configuration, and the record handlers the services would call.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/record_kinds.h"
#include "domain/hub_context.h"
#include "domain/record_handler.h"

namespace batteryhub::testing {

class DomainFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/batteryhub-domain-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    config_.institutions = DefaultInstitutions();
    Reopen();
  }
  void TearDown() override {
    handlers_.reset();
    cell_tests_.reset();
    store_.reset();
    std::filesystem::remove_all(root_);
  }

  // A fresh, empty store (a new directory each time).
  void Reopen() {
    handlers_.reset();
    cell_tests_.reset();
    store_.reset();
    const std::string dir = root_ + "/db" + std::to_string(opened_++);
    auto store = storage::RecordStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    std::set<std::string> members;
    for (const auto& i : config_.institutions) members.insert(i.id);
    policy_ = std::make_unique<PolicyEngine>(members);
    hub_ = HubContext{store_.get(), policy_.get(), &config_};
    handlers_ = std::make_unique<RecordHandler<SampleTraits>>(hub_);
    cell_tests_ = std::make_unique<RecordHandler<CellTestTraits>>(hub_);
  }

  static const std::vector<std::string>& Institutions() {
    static const std::vector<std::string> ids = {"aist", "nedo", "libtec", "nrc"};
    return ids;
  }
  static Principal Caller(const std::string& institution, Role role) {
    return Principal{absl::StrCat("institutions/", institution, "/principals/", institution, "-",
                                  RoleText(role)),
                     institution, role};
  }
  static Principal Admin() { return Principal{"principals/admin", "", ::batteryhub::v1::ROLE_ADMIN}; }

  storage::RecordStore& store() { return *store_; }
  PolicyEngine& policy() { return *policy_; }
  const RecordHandler<SampleTraits>& samples() { return *handlers_; }
  const RecordHandler<CellTestTraits>& cell_tests() { return *cell_tests_; }
  const HubContext& hub() const { return hub_; }

  std::string root_;
  int opened_ = 0;
  HubConfig config_;
  std::unique_ptr<storage::RecordStore> store_;
  std::unique_ptr<PolicyEngine> policy_;
  HubContext hub_{};
  std::unique_ptr<RecordHandler<SampleTraits>> handlers_;
  std::unique_ptr<RecordHandler<CellTestTraits>> cell_tests_;
};

}  // namespace batteryhub::testing
