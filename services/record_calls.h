// gRPC glue of the record services: authenticate, call the RecordHandler,
// log, convert. The request messages of the three services share field names
// (parent, request_id, page_size, ...), so one template serves them all.
#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <string>

#include "core/digest.h"
#include "core/sha256.h"
#include "services/call_audit.h"
#include "services/call_log.h"
#include "services/grpc_status.h"
#include "services/record_handler.h"

namespace batteryhub {

// Authenticates the caller, runs `body(principal)`, audits (call_audit.h),
// logs and converts.
template <typename Body>
grpc::Status RunCall(const HubContext& hub, const grpc::ServerContext& ctx, const char* method,
                     const std::string& resource, Body&& body) {
  const auto start = std::chrono::steady_clock::now();
  CallAudit audit(hub.store, method, resource);
  absl::StatusOr<Principal> principal = hub.authenticator->Authenticate(ctx);
  if (principal.ok()) audit.SetCaller(*principal);
  absl::Status status = principal.ok() ? body(*principal) : principal.status();
  if (absl::Status audited = audit.Finish(status); !audited.ok() && status.ok()) status = audited;
  LogCall(method, principal.ok() ? principal->name : "", resource, status,
          std::chrono::steady_clock::now() - start);
  return ToGrpcStatus(status);
}

template <typename Traits>
class RecordCalls {
 public:
  using Resource = typename Traits::Resource;

  explicit RecordCalls(const HubContext& hub) : hub_(hub), handler_(hub) {}

  template <typename Request>
  grpc::Status Create(const grpc::ServerContext& ctx, const char* method, const Request& req,
                      const Resource& resource, const std::string& id, Resource* out) const {
    return RunCall(hub_, ctx, method, req.parent(), [&](const Principal& p) -> absl::Status {
      absl::StatusOr<Resource> r = handler_.Create(p, req.parent(), resource, id, Options(req));
      if (r.ok()) *out = std::move(*r);
      return r.status();
    });
  }

  grpc::Status Get(const grpc::ServerContext& ctx, const char* method, const std::string& name,
                   Resource* out) const {
    return RunCall(hub_, ctx, method, name, [&](const Principal& p) -> absl::Status {
      absl::StatusOr<Resource> r = handler_.Get(p, name);
      if (r.ok()) *out = std::move(*r);
      return r.status();
    });
  }

  template <typename Request>
  grpc::Status List(const grpc::ServerContext& ctx, const char* method, const Request& req,
                    google::protobuf::RepeatedPtrField<Resource>* items,
                    std::string* next_page_token) const {
    return RunCall(hub_, ctx, method, req.parent(), [&](const Principal& p) -> absl::Status {
      ListQuery q{"", req.filter(), req.order_by(), req.page_size(), req.page_token()};
      absl::StatusOr<ResourcePage<Resource>> page = handler_.List(p, req.parent(), q);
      if (!page.ok()) return page.status();
      Fill(std::move(*page), items, next_page_token);
      return absl::OkStatus();
    });
  }

  template <typename Request>
  grpc::Status Update(const grpc::ServerContext& ctx, const char* method, const Request& req,
                      const Resource& resource, Resource* out) const {
    return RunCall(hub_, ctx, method, resource.name(), [&](const Principal& p) -> absl::Status {
      absl::StatusOr<Resource> r = handler_.Update(p, resource, req.update_mask(), Options(req));
      if (r.ok()) *out = std::move(*r);
      return r.status();
    });
  }

  template <typename Request>
  grpc::Status ListRevisions(const grpc::ServerContext& ctx, const char* method,
                             const Request& req,
                             google::protobuf::RepeatedPtrField<Resource>* items,
                             std::string* next_page_token) const {
    return RunCall(hub_, ctx, method, req.name(), [&](const Principal& p) -> absl::Status {
      absl::StatusOr<ResourcePage<Resource>> page =
          handler_.ListRevisions(p, req.name(), req.page_size(), req.page_token());
      if (!page.ok()) return page.status();
      Fill(std::move(*page), items, next_page_token);
      return absl::OkStatus();
    });
  }

 private:
  template <typename Request>
  static WriteOptions Options(const Request& req) {
    WriteOptions w;
    w.request_id = req.request_id();
    if (!w.request_id.empty()) w.request_digest = Sha256Hex(DeterministicBytes(req));
    w.validate_only = req.validate_only();
    return w;
  }

  static void Fill(ResourcePage<Resource> page, google::protobuf::RepeatedPtrField<Resource>* items,
                   std::string* next_page_token) {
    for (Resource& r : page.items) *items->Add() = std::move(r);
    *next_page_token = std::move(page.next_page_token);
  }

  HubContext hub_;
  RecordHandler<Traits> handler_;
};

}  // namespace batteryhub
