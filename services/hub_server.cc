#include "services/hub_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "grpc/health/v1/health.pb.h"
#include "services/server_credentials.h"

namespace batteryhub {

absl::StatusOr<std::unique_ptr<HubServer>> HubServer::Start(const HubConfig& config) {
  std::unique_ptr<HubServer> hub(new HubServer());
  hub->config_ = config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("unusable data dir '", config.data_dir, "': ", ec.message()));
  }
  ASSIGN_OR_RETURN(hub->store_, storage::RecordStore::Open(config.data_dir + "/db"));
  std::set<std::string> members;
  for (const auto& i : config.institutions) members.insert(i.id);
  hub->policy_ = std::make_unique<PolicyEngine>(members);
  hub->authenticator_ = std::make_unique<Authenticator>(hub->config_, hub->store_.get());
  const Limits& limits = hub->config_.limits;
  hub->streams_ = std::make_unique<StreamGate>(
      limits.max_streams > 0 ? limits.max_streams : std::max(1, limits.max_threads / 2),
      limits.max_streams_per_caller, std::chrono::seconds(limits.stream_idle_seconds));
  ServiceContext ctx;
  ctx.store = hub->store_.get();
  ctx.policy = hub->policy_.get();
  ctx.config = &hub->config_;
  ctx.authenticator = hub->authenticator_.get();
  ctx.streams = hub->streams_.get();
  RETURN_IF_ERROR(LoadAgreements(ctx));
  hub->samples_ = std::make_unique<SampleServiceImpl>(ctx);
  hub->characterizations_ = std::make_unique<CharacterizationServiceImpl>(ctx);
  hub->cell_tests_ = std::make_unique<CellTestServiceImpl>(ctx);
  hub->admin_ = std::make_unique<AdminServiceImpl>(ctx);
  hub->series_ = std::make_unique<SeriesServiceImpl>(ctx);
  hub->lineage_ = std::make_unique<LineageServiceImpl>(ctx);
  hub->policy_service_ = std::make_unique<PolicyServiceImpl>(ctx);
  hub->sync_ = std::make_unique<SyncServiceImpl>(ctx);

  // Linking the generated health messages makes grpc.health.v1 describable
  // through reflection; the service itself is gRPC's default one.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota("batteryhub");
  quota.SetMaxThreads(config.limits.max_threads);
  builder.SetResourceQuota(quota);
  // Without this, Linux SO_REUSEPORT lets a second hub bind a port in use.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.limits.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(config.limits.max_message_bytes));
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   ServerCredentialsFor(config.tls));
  builder.AddListeningPort(config.listen, credentials, &hub->port_);
  builder.RegisterService(hub->samples_.get());
  builder.RegisterService(hub->characterizations_.get());
  builder.RegisterService(hub->cell_tests_.get());
  builder.RegisterService(hub->admin_.get());
  builder.RegisterService(hub->series_.get());
  builder.RegisterService(hub->lineage_.get());
  builder.RegisterService(hub->policy_service_.get());
  builder.RegisterService(hub->sync_.get());
  hub->server_ = builder.BuildAndStart();
  if (!hub->server_ || hub->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen, ": address in use or invalid"));
  }
  const std::string host = config.listen.substr(0, config.listen.rfind(':'));
  hub->address_ = absl::StrCat(host, ":", hub->port_);
  return hub;
}

std::shared_ptr<grpc::Channel> HubServer::InProcessChannel() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(config_.limits.max_message_bytes));
  args.SetMaxSendMessageSize(static_cast<int>(config_.limits.max_message_bytes));
  return server_->InProcessChannel(args);
}

void HubServer::Shutdown(std::chrono::milliseconds grace) {
  if (shut_down_) return;
  shut_down_ = true;
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  streams_.reset();
  store_.reset();
}

HubServer::~HubServer() {
  if (server_) Shutdown();
}

}  // namespace batteryhub
