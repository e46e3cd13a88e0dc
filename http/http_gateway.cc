#include "http/http_gateway.h"

#include <httplib.h>

#include <grpcpp/client_context.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/rpc_method.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/errors.h"
#include "http/json_status.h"
#include "http/request_binding.h"
#include "http/stream_encoding.h"

namespace batteryhub::http {
namespace {

using google::protobuf::Message;

constexpr size_t kMaxQuotedPath = 200;

std::string QuotedPath(const std::string& path) {
  return path.size() <= kMaxQuotedPath ? path : absl::StrCat(path.substr(0, kMaxQuotedPath), "...");
}

grpc::ByteBuffer ToBuffer(const Message& message) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromBuffer(grpc::ByteBuffer* buffer, Message* message) {
  grpc::ProtoBufferReader reader(buffer);
  return message->ParseFromZeroCopyStream(&reader);
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

void SendError(httplib::Response& response, int http_status, const std::string& json) {
  response.status = http_status;
  if (http_status == 401) response.set_header("WWW-Authenticate", "Bearer realm=\"batteryhub\"");
  response.set_content(json, "application/json");
}

void SendError(httplib::Response& response, const absl::Status& status) {
  SendError(response, HttpStatusOf(static_cast<grpc::StatusCode>(status.code())), StatusJson(status));
}

void SendError(httplib::Response& response, const grpc::Status& status) {
  SendError(response, HttpStatusOf(status.error_code()), StatusJson(status));
}

void Forward(const httplib::Request& request, grpc::ClientContext* context, int deadline_seconds) {
  if (request.has_header("Authorization")) {
    context->AddMetadata("authorization", request.get_header_value("Authorization"));
  }
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
}

// A server stream being sent: the call, its reader and the next message.
struct OpenStream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader;
  std::unique_ptr<Message> message;
  std::unique_ptr<StreamEncoding> encoding;
  bool have_message = false;
  bool finished = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(const HttpOptions& options,
                                                                 std::shared_ptr<grpc::Channel> hub) {
  std::unique_ptr<HttpGateway> g(new HttpGateway());
  g->options_ = options;
  g->hub_ = std::move(hub);
  absl::StatusOr<RouteTable> routes = RouteTable::FromServices(ApiServices());
  if (!routes.ok()) return routes.status();
  g->routes_ = *std::move(routes);

  const size_t colon = options.listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(options.listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("http listen address '", options.listen, "' is not HOST:PORT"));
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  g->server_ = std::make_unique<httplib::Server>();
  httplib::Server& s = *g->server_;
  const int threads = std::max(1, options.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_payload_max_length(options.max_body_bytes);
  s.set_read_timeout(options.io_timeout_seconds, 0);
  s.set_write_timeout(options.io_timeout_seconds, 0);
  s.set_keep_alive_timeout(5);
  s.set_keep_alive_max_count(100);
  // The web view's files are code, the same for every caller: a browser may
  // keep them five minutes (API answers are never stored: see below).
  if (!options.web_root.empty() &&
      !s.set_mount_point("/", options.web_root, {{"Cache-Control", "private, max-age=300"}})) {
    return absl::FailedPreconditionError(
        absl::StrCat("the web view folder '", options.web_root, "' does not exist"));
  }
  s.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  s.set_file_extension_and_mimetype_mapping("js", "text/javascript");
  HttpGateway* self = g.get();
  auto serve = [self](const httplib::Request& q, httplib::Response& r) { self->Serve(q, r); };
  s.Get("/v1/.*", serve);
  s.Post("/v1/.*", serve);
  s.Patch("/v1/.*", serve);
  s.Put("/v1/.*", serve);
  s.Delete("/v1/.*", serve);
  // Debian's cpp-httplib 0.11 answers Brotli, when a browser offers it, at
  // quality 11: 180 ms for a 90 KB plot, where gzip takes 10 ms. Offers of
  // br are dropped before the answer is encoded (the request object is
  // httplib's own, not const; only this header changes).
  s.set_pre_routing_handler([](const httplib::Request& q, httplib::Response&) {
    auto& headers = const_cast<httplib::Request&>(q).headers;
    auto [first, last] = headers.equal_range("Accept-Encoding");  // names compare without case
    for (auto it = first; it != last; ++it) {
      std::vector<std::string> kept;
      for (absl::string_view coding : absl::StrSplit(it->second, ',', absl::SkipWhitespace())) {
        const absl::string_view name = absl::StripAsciiWhitespace(coding.substr(0, coding.find(';')));
        if (!absl::EqualsIgnoreCase(name, "br")) kept.emplace_back(absl::StripAsciiWhitespace(coding));
      }
      it->second = absl::StrJoin(kept, ", ");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_post_routing_handler([](const httplib::Request&, httplib::Response& r) {
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Referrer-Policy", "no-referrer");
    r.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                 "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (!r.has_header("Cache-Control")) r.set_header("Cache-Control", "no-store");
  });
  s.set_error_handler([](const httplib::Request& q, httplib::Response& r) {
    if (!r.body.empty()) return;
    const grpc::StatusCode code = r.status == 404 ? grpc::StatusCode::NOT_FOUND
                                  : r.status == 413 ? grpc::StatusCode::RESOURCE_EXHAUSTED
                                                    : grpc::StatusCode::INVALID_ARGUMENT;
    const std::string why = r.status == 404   ? absl::StrCat("nothing at ", QuotedPath(q.path))
                            : r.status == 413 ? "the request body is larger than the hub takes"
                                              : absl::StrCat("HTTP ", r.status);
    r.set_content(StatusJson(grpc::Status(code, why)), "application/json");
  });

  if (port == 0) {
    port = s.bind_to_any_port(host);
    if (port <= 0) return absl::UnavailableError(absl::StrCat("cannot bind http to ", options.listen));
  } else if (!s.bind_to_port(host, port)) {
    return absl::UnavailableError(absl::StrCat("cannot bind http to ", options.listen));
  }
  g->port_ = port;
  g->address_ = absl::StrCat(options.listen.substr(0, colon), ":", port);
  g->thread_ = std::thread([self] { self->server_->listen_after_bind(); });
  return g;
}

HttpGateway::~HttpGateway() { Shutdown(); }

void HttpGateway::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    for (grpc::ClientContext* c : calls_) c->TryCancel();
  }
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpGateway::Register(grpc::ClientContext* context) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.insert(context);
  if (shut_down_) context->TryCancel();
}

void HttpGateway::Unregister(grpc::ClientContext* context) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.erase(context);
}

void HttpGateway::Serve(const httplib::Request& request, httplib::Response& response) {
  absl::StatusOr<RouteMatch> match = routes_.Find(request.method, request.path);
  if (!match.ok()) {
    if (absl::IsUnimplemented(match.status())) {
      SendError(response, 405, StatusJson(match.status()));
    } else {
      SendError(response, absl::NotFoundError(
                              absl::StrCat("no API method at ", QuotedPath(request.path))));
    }
    return;
  }
  if (request.has_param("access_token")) {
    SendError(response, InvalidField("access_token",
                                     "a token goes in the 'Authorization: Bearer' header, never "
                                     "in a URL (URLs end up in logs and histories)"));
    return;
  }
  const Route& route = *match->route;
  QueryParams query(request.params.begin(), request.params.end());
  std::unique_ptr<Message> call = NewMessage(route.method->input_type());
  if (absl::Status bound = BindRequest(*match, request.body, query, call.get()); !bound.ok()) {
    SendError(response, bound);
    return;
  }
  const std::string alt = request.get_param_value("alt");

  if (!route.method->server_streaming()) {
    if (!alt.empty() && alt != "json") {
      SendError(response, InvalidField("alt", "must be json"));
      return;
    }
    grpc::ClientContext context;
    Forward(request, &context, options_.call_deadline_seconds);
    Register(&context);
    grpc::ByteBuffer answer;
    const grpc::internal::RpcMethod method(route.grpc_method.c_str(),
                                           grpc::internal::RpcMethod::NORMAL_RPC);
    grpc::Status status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
        hub_.get(), method, &context, ToBuffer(*call), &answer);
    Unregister(&context);
    if (!status.ok()) {
      SendError(response, status);
      return;
    }
    std::unique_ptr<Message> out = NewMessage(route.method->output_type());
    if (!FromBuffer(&answer, out.get())) {
      SendError(response, absl::InternalError("the hub's answer did not parse"));
      return;
    }
    response.set_content(MessageJson(*out) + "\n", "application/json");
    return;
  }

  absl::StatusOr<std::unique_ptr<StreamEncoding>> encoding = EncodingFor(route, alt);
  if (!encoding.ok()) {
    SendError(response, encoding.status());
    return;
  }
  auto stream = std::make_shared<OpenStream>();
  stream->encoding = *std::move(encoding);
  stream->message = NewMessage(route.method->output_type());
  Forward(request, &stream->context, options_.stream_deadline_seconds);
  Register(&stream->context);
  const grpc::internal::RpcMethod method(route.grpc_method.c_str(),
                                         grpc::internal::RpcMethod::SERVER_STREAMING);
  stream->reader.reset(grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
      hub_.get(), method, &stream->context, ToBuffer(*call)));
  // The first message decides the HTTP status: a refusal (unauthenticated,
  // hidden, bad range) is an error response, not a 200 that breaks off.
  grpc::ByteBuffer buffer;
  if (stream->reader->Read(&buffer)) {
    stream->have_message = FromBuffer(&buffer, stream->message.get());
  }
  if (!stream->have_message) {
    grpc::Status status = stream->reader->Finish();
    Unregister(&stream->context);
    stream->finished = true;
    if (!status.ok()) {
      SendError(response, status);
      return;
    }
    response.set_content("", stream->encoding->content_type());
    return;
  }
  if (!route.response_body.empty()) {
    const std::string name = match->bindings.empty() ? "download" : match->bindings.back().second;
    response.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"", name, "\""));
  }
  HttpGateway* self = this;
  response.set_chunked_content_provider(
      stream->encoding->content_type(),
      [stream](size_t, httplib::DataSink& sink) {
        std::string text;
        while (stream->have_message && text.size() < (1 << 20)) {
          stream->encoding->Append(*stream->message, &text);
          grpc::ByteBuffer next;
          stream->message->Clear();
          stream->have_message =
              stream->reader->Read(&next) && FromBuffer(&next, stream->message.get());
        }
        if (!text.empty() && !sink.write(text.data(), text.size())) return false;
        if (stream->have_message) return true;
        grpc::Status status = stream->reader->Finish();
        stream->finished = true;
        if (!status.ok()) {
          std::string tail;
          const bool room = stream->encoding->AppendFailure(status, &tail);
          if (!tail.empty()) sink.write(tail.data(), tail.size());
          if (!room) return false;  // cut: the body is not whole
        }
        sink.done();
        return true;
      },
      [stream, self](bool) {
        if (!stream->finished) {
          stream->context.TryCancel();
          (void)stream->reader->Finish();
          stream->finished = true;
        }
        self->Unregister(&stream->context);
      });
}

}  // namespace batteryhub::http
