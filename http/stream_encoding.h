// How a server-streaming method's messages become an HTTP body: JSON lines
// of the messages (the default), the bytes of a `response_body` field
// (raw files), or, for ReadSeries with `alt=csv|bdf|jsonl`, the rows as
// `bhub series` writes them (core/row_text.h).
#pragma once

#include <memory>
#include <string>

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include "absl/status/statusor.h"
#include "http/route_table.h"

namespace batteryhub::http {

class StreamEncoding {
 public:
  virtual ~StreamEncoding() = default;
  virtual const char* content_type() const = 0;
  // Appends one message's text.
  virtual void Append(const google::protobuf::Message& message, std::string* out) = 0;
  // Appends how a stream that failed after its first bytes ended; false
  // when the format has no room for it (the connection is then cut).
  virtual bool AppendFailure(const grpc::Status& status, std::string* out) = 0;
};

// INVALID_ARGUMENT for an `alt` the method does not offer.
absl::StatusOr<std::unique_ptr<StreamEncoding>> EncodingFor(const Route& route,
                                                            absl::string_view alt);

// The proto3 JSON of a message (lowerCamelCase names, defaults omitted).
std::string MessageJson(const google::protobuf::Message& message);

}  // namespace batteryhub::http
