// gRPC glue of the record services: authenticate, call the RecordHandler,
// log, convert. The request messages of the three services share field names
// (parent, request_id, page_size, ...), so one template serves them all.
#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <string>

#include "core/digest.h"
#include "core/sha256.h"
#include "domain/call_audit.h"
#include "services/call_log.h"
#include "services/grpc_status.h"
#include "services/service_context.h"
#include "domain/record_handler.h"

namespace batteryhub {

// A resource name as the audit trail and the call log keep it: the
// caller's text, cut to a bounded length.
inline std::string AuditedResource(const std::string& resource) {
  constexpr size_t kMaxResourceBytes = 256;
  return resource.size() <= kMaxResourceBytes ? resource
                                              : resource.substr(0, kMaxResourceBytes) + "...";
}

// Authenticates the caller (from the call's metadata, before anything of
// the request is read), runs `body(principal)`, audits (call_audit.h), logs
// and converts. An unauthenticated call leaves an entry of constant size:
// no resource, no principal.
template <typename Body>
grpc::Status RunCall(const ServiceContext& hub, const grpc::ServerContext& ctx, const char* method,
                     const std::string& resource, Body&& body) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Principal> principal = hub.authenticator->Authenticate(ctx);
  const std::string shown = principal.ok() ? AuditedResource(resource) : std::string();
  CallAudit audit(hub.store, method, shown);
  if (principal.ok()) audit.SetCaller(*principal);
  absl::Status status = principal.ok() ? body(*principal) : principal.status();
  // Anonymous refusals are audited up to a rate (a flood writes a bounded
  // trail); every authenticated call is audited.
  if (principal.ok() || CallAudit::AnonymousEntryAllowed()) {
    if (absl::Status audited = audit.Finish(status); !audited.ok() && status.ok()) status = audited;
  } else {
    audit.Skip();
  }
  LogCall(method, principal.ok() ? principal->name : "", shown, status,
          std::chrono::steady_clock::now() - start);
  return ToGrpcStatus(status);
}

// RunCall for a streaming method: the stream takes a slot at the hub's
// StreamGate once the caller is known (RESOURCE_EXHAUSTED when its limit
// or the hub's is reached) and is cancelled when idle. Reads and writes in
// `body` go through ReadMessage / WriteMessage.
template <typename Body>
grpc::Status RunStreamCall(const ServiceContext& hub, grpc::ServerContext* ctx, const char* method,
                           const std::string& resource, Body&& body) {
  return RunCall(hub, *ctx, method, resource, [&](const Principal& p) -> absl::Status {
    std::unique_ptr<StreamSlot> slot;
    if (hub.streams != nullptr) {
      absl::StatusOr<std::unique_ptr<StreamSlot>> opened = hub.streams->Open(p.name, ctx);
      if (!opened.ok()) return opened.status();
      slot = std::move(*opened);
    }
    absl::Status status = body(p);
    if (ctx->IsCancelled() && status.ok()) {
      status = absl::CancelledError("the stream was idle too long or the caller went away");
    }
    return status;
  });
}

template <typename Traits>
class RecordCalls {
 public:
  using Resource = typename Traits::Resource;

  explicit RecordCalls(const ServiceContext& hub) : hub_(hub), handler_(hub) {}

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
      ListQuery q{"", req.filter(), req.order_by(), req.page_size(), req.page_token(),
                  req.show_deleted(), [&ctx] { return ctx.IsCancelled(); }};
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

  // Delete (`deleted`) or Undelete.
  template <typename Request>
  grpc::Status SetDeleted(const grpc::ServerContext& ctx, const char* method, const Request& req,
                          bool deleted, Resource* out) const {
    return RunCall(hub_, ctx, method, req.name(), [&](const Principal& p) -> absl::Status {
      absl::StatusOr<Resource> r = handler_.SetDeleted(p, req.name(), deleted, req.etag(), Options(req));
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

  ServiceContext hub_;
  RecordHandler<Traits> handler_;
};

}  // namespace batteryhub
