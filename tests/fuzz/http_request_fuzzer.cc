// Fuzzes what an HTTP caller controls before a call reaches the hub: the
// route lookup of verb + path, the binding of path variables, query
// parameters and JSON body into the request message, and the parsing of
// path templates themselves. Input: a verb byte, then path, query and body
// separated by newlines.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <google/protobuf/message.h>

#include "absl/strings/str_split.h"
#include "http/path_template.h"
#include "http/request_binding.h"
#include "http/route_table.h"

namespace bh = batteryhub::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bh::RouteTable* table = [] {
    auto t = bh::RouteTable::FromServices(bh::ApiServices());
    if (!t.ok()) __builtin_trap();  // the annotations are part of the build
    return new bh::RouteTable(*std::move(t));
  }();
  if (size == 0) return 0;
  static const char* kVerbs[] = {"GET", "POST", "PATCH", "PUT", "DELETE"};
  const std::string verb = kVerbs[data[0] % 5];
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> parts = absl::StrSplit(input, absl::MaxSplits('\n', 2));
  parts.resize(3);
  const std::string& path = parts[0];
  // The input read as a template, matched against itself and the path.
  auto templ = bh::PathTemplate::Parse(path);
  if (templ.ok()) {
    (void)templ->Match(path);
    (void)templ->Match(parts[1]);
  }
  auto match = table->Find(verb, path);
  if (!match.ok()) return 0;
  bh::QueryParams query;
  for (absl::string_view pair : absl::StrSplit(parts[1], '&', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    query.push_back(std::move(kv));
  }
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          match->route->method->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  (void)bh::BindRequest(*match, parts[2], query, request.get());
  return 0;
}
