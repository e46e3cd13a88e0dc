// batteryhubd's HTTP listener: the REST mapping of the gRPC API (the
// `google.api.http` annotations, JSON in the proto3 mapping) and the web
// view's files. Every API call is forwarded, with its Authorization
// header, to the hub's own gRPC server over an in-process channel: the same
// authentication, policy, limits, audit and code path as a gRPC client
// gets. One implementation, two transports.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "http/route_table.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace grpc {
class ClientContext;
}

namespace batteryhub::http {

struct HttpOptions {
  // HOST:PORT; port 0 picks a free one.
  std::string listen = "127.0.0.1:8080";
  // Folder of the web view (index.html and its bundle); empty: no web view.
  std::string web_root;
  // Bounds: request body, worker threads (= calls served at once; more
  // connections wait), socket read/write timeout, and the deadline of a
  // unary call and of a stream.
  size_t max_body_bytes = 16 << 20;
  int threads = 8;
  int io_timeout_seconds = 30;
  int call_deadline_seconds = 60;
  int stream_deadline_seconds = 3600;
};

class HttpGateway {
 public:
  // Binds and starts serving on a thread of its own. UNAVAILABLE when the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(const HttpOptions& options,
                                                            std::shared_ptr<grpc::Channel> hub);
  ~HttpGateway();

  // "HOST:PORT" with the port actually bound.
  const std::string& address() const { return address_; }
  int port() const { return port_; }

  // Stops listening and cancels the calls in flight. Idempotent.
  void Shutdown();

 private:
  HttpGateway() = default;
  void Serve(const httplib::Request& request, httplib::Response& response);
  void Register(grpc::ClientContext* context);
  void Unregister(grpc::ClientContext* context);

  HttpOptions options_;
  RouteTable routes_;
  std::shared_ptr<grpc::Channel> hub_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string address_;
  int port_ = 0;
  std::mutex mu_;
  std::set<grpc::ClientContext*> calls_;
  bool shut_down_ = false;
};

}  // namespace batteryhub::http
