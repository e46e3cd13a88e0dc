// The hub: store, policy, authentication and the gRPC server around them.
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/admin_service.h"
#include "services/record_services.h"
#include "services/lineage_service.h"
#include "services/policy_service.h"
#include "services/sync_service.h"
#include "services/series_service.h"

namespace batteryhub {

class HubServer {
 public:
  // Opens the store in `config.data_dir` and listens on `config.listen`
  // (port 0 picks a free port). FAILED_PRECONDITION when the data dir is
  // unusable, UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HubServer>> Start(const HubConfig& config);
  ~HubServer();

  // "HOST:PORT" with the port actually bound.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  storage::RecordStore* store() { return store_.get(); }
  // A channel to this server inside the process (the HTTP listener's way
  // in): calls on it are authenticated, limited and audited like any other.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Stops accepting calls, lets in-flight calls finish (at most `grace`),
  // then closes the store. Idempotent.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(10));
  void Wait() { server_->Wait(); }

 private:
  HubServer() = default;

  HubConfig config_;
  std::unique_ptr<storage::RecordStore> store_;
  std::unique_ptr<PolicyEngine> policy_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<StreamGate> streams_;
  std::unique_ptr<SampleServiceImpl> samples_;
  std::unique_ptr<CharacterizationServiceImpl> characterizations_;
  std::unique_ptr<CellTestServiceImpl> cell_tests_;
  std::unique_ptr<AdminServiceImpl> admin_;
  std::unique_ptr<SeriesServiceImpl> series_;
  std::unique_ptr<LineageServiceImpl> lineage_;
  std::unique_ptr<PolicyServiceImpl> policy_service_;
  std::unique_ptr<SyncServiceImpl> sync_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace batteryhub
