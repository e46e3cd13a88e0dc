// One implementation, two transports: the same calls, as the same callers,
// to two hubs loaded alike, one over gRPC and one over the HTTP/JSON
// mapping, must answer alike — the same records (hidden ones hidden the same
// way), the same errors with the same details, and in the end the same
// audit trail. Every annotated method is called.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "batteryhub/v1/admin_service.pb.h"
#include "batteryhub/v1/cell_test_service.pb.h"
#include "batteryhub/v1/characterization_service.pb.h"
#include "batteryhub/v1/lineage_service.pb.h"
#include "batteryhub/v1/policy_service.pb.h"
#include "batteryhub/v1/sample_service.pb.h"
#include "batteryhub/v1/series_service.pb.h"
#include "batteryhub/v1/sync_service.pb.h"
#include "core/sha256.h"
#include "http/http_gateway.h"
#include "http/route_table.h"
#include "services/hub_server.h"

namespace batteryhub::http {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
namespace v1 = ::batteryhub::v1;

std::unique_ptr<Message> New(const google::protobuf::Descriptor* d) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
}

// What a call answered, either way.
struct Answer {
  int code = 0;
  v1::Status status;  // when code != 0
  std::vector<std::unique_ptr<Message>> messages;
};

// Clears what differs between two hubs for the same call: times, etags,
// digests over times, page tokens (sealed by each hub's own key), secrets.
void Normalize(Message* m) {
  const google::protobuf::Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string& n = f->name();
    if (n == "etag" || n == "content_digest" || n == "next_page_token" || n == "secret" ||
        n == "entry_digest" || n == "previous_digest" || n == "head_digest" || n == "sequence" ||
        n == "last_sequence" || n == "duration_ms" ||
        // Anonymous refusals are audited up to a rate that is one per
        // process, shared here by both hubs: their counts may differ.
        n == "audit_entries" || (n == "name" && m->GetDescriptor()->name() == "Token")) {
      r->ClearField(m, f);
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->message_type()->full_name() == "google.protobuf.Timestamp") {
      r->ClearField(m, f);
      continue;
    }
    if (f->is_map()) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(*m, f); ++i) Normalize(r->MutableRepeatedMessage(m, f, i));
    } else {
      Normalize(r->MutableMessage(m, f));
    }
  }
}

std::string Text(const Message& m) {
  std::string json;
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = false;
  (void)google::protobuf::util::MessageToJsonString(m, &json, o);
  return json;
}

// --- the HTTP form of a request, as a transcoder reads it back ----------

std::string FieldText(const Message& m, const std::string& path) {
  const Message* at = &m;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* f = at->GetDescriptor()->FindFieldByName(parts[i]);
    at = &at->GetReflection()->GetMessage(*at, f);
  }
  const FieldDescriptor* f = at->GetDescriptor()->FindFieldByName(parts.back());
  return at->GetReflection()->GetString(*at, f);
}

std::string Escape(const std::string& s) { return httplib::detail::encode_query_param(s); }

// Non-default scalar fields as query parameters (dotted paths); `skip` are
// set by the path or the body.
void QueryOf(const Message& m, const std::string& prefix, const std::set<std::string>& skip,
             std::vector<std::string>* out) {
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path = prefix + f->name();
    if (skip.count(path)) continue;
    auto add = [&](const std::string& v) { out->push_back(absl::StrCat(path, "=", Escape(v))); };
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      const bool rep = f->is_repeated();
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          add(rep ? r->GetRepeatedString(m, f, i) : r->GetString(m, f));
          break;
        case FieldDescriptor::CPPTYPE_INT32: add(absl::StrCat(rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f))); break;
        case FieldDescriptor::CPPTYPE_INT64: add(absl::StrCat(rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f))); break;
        case FieldDescriptor::CPPTYPE_UINT32: add(absl::StrCat(r->GetUInt32(m, f))); break;
        case FieldDescriptor::CPPTYPE_UINT64: add(absl::StrCat(r->GetUInt64(m, f))); break;
        case FieldDescriptor::CPPTYPE_DOUBLE: add(absl::StrCat(r->GetDouble(m, f))); break;
        case FieldDescriptor::CPPTYPE_FLOAT: add(absl::StrCat(r->GetFloat(m, f))); break;
        case FieldDescriptor::CPPTYPE_BOOL: add(r->GetBool(m, f) ? "true" : "false"); break;
        case FieldDescriptor::CPPTYPE_ENUM: add(rep ? r->GetRepeatedEnum(m, f, i)->name() : r->GetEnum(m, f)->name()); break;
        case FieldDescriptor::CPPTYPE_MESSAGE: {
          const Message& sub = r->GetMessage(m, f);
          if (f->message_type()->full_name() == "google.protobuf.FieldMask") {
            add(absl::StrJoin(static_cast<const google::protobuf::FieldMask&>(sub).paths(), ","));
          } else if (f->message_type()->full_name() == "google.protobuf.Timestamp") {
            add(google::protobuf::util::TimeUtil::ToString(
                static_cast<const google::protobuf::Timestamp&>(sub)));
          } else {
            QueryOf(sub, path + ".", skip, out);
          }
          break;
        }
      }
    }
  }
}

struct HttpCall {
  std::string verb, target, body;
};

HttpCall ToHttp(const Route& route, const Message& request) {
  HttpCall call{route.verb, "", ""};
  std::string path = route.path.text();
  std::set<std::string> skip;
  // Each {field=pattern} by the field's value.
  for (size_t open; (open = path.find('{')) != std::string::npos;) {
    const size_t close = path.find('}', open);
    std::string inner = path.substr(open + 1, close - open - 1);
    const std::string field = inner.substr(0, inner.find('='));
    skip.insert(field);
    path.replace(open, close - open + 1, FieldText(request, field));
  }
  std::unique_ptr<Message> rest(request.New());
  rest->CopyFrom(request);
  if (route.body == "*") {
    for (const std::string& f : skip) {
      if (f.find('.') == std::string::npos) {
        rest->GetReflection()->ClearField(rest.get(), rest->GetDescriptor()->FindFieldByName(f));
      }
    }
    call.body = Text(*rest);
  } else if (!route.body.empty()) {
    const FieldDescriptor* f = request.GetDescriptor()->FindFieldByName(route.body);
    call.body = Text(request.GetReflection()->GetMessage(request, f));
    skip.insert(route.body);
  }
  std::vector<std::string> query;
  if (route.body != "*") {
    std::vector<std::string> all;
    QueryOf(request, "", skip, &all);
    for (const std::string& q : all) {
      if (!route.body.empty() && q.rfind(route.body + ".", 0) == 0) continue;
      query.push_back(q);
    }
  }
  call.target = query.empty() ? path : absl::StrCat(path, "?", absl::StrJoin(query, "&"));
  return call;
}

class TransportParityTest : public ::testing::Test {
 protected:
  static HubConfig Config(const std::string& dir) {
    HubConfig c;
    c.data_dir = dir;
    c.listen = "127.0.0.1:0";
    c.limits.max_page_size = 100;
    c.institutions = DefaultInstitutions();
    for (const auto& inst : c.institutions) {
      for (const char* role : {"viewer", "submitter", "steward"}) {
        const std::string token = inst.id + "-" + role;
        c.principals.push_back({token, inst.id, ParseRole(role), Sha256Hex(token)});
      }
    }
    c.principals.push_back({"admin", "", v1::ROLE_ADMIN, Sha256Hex("admin")});
    return c;
  }

  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("bhub-parity-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    auto a = HubServer::Start(Config((root_ / "grpc").string()));
    auto b = HubServer::Start(Config((root_ / "http").string()));
    ASSERT_TRUE(a.ok() && b.ok());
    grpc_hub_ = std::move(*a);
    http_hub_ = std::move(*b);
    HttpOptions options;
    options.listen = "127.0.0.1:0";
    auto g = HttpGateway::Start(options, http_hub_->InProcessChannel());
    ASSERT_TRUE(g.ok()) << g.status();
    gateway_ = std::move(*g);
    channel_ = grpc::CreateChannel(grpc_hub_->address(), grpc::InsecureChannelCredentials());
    auto routes = RouteTable::FromServices(ApiServices());
    ASSERT_TRUE(routes.ok());
    routes_ = *std::move(routes);
    // The same demo consortium on both, through the gRPC API.
    for (HubServer* hub : {grpc_hub_.get(), http_hub_.get()}) {
      const std::string command = absl::StrCat("BATTERYHUB_TOKEN=admin ", BHUB_BINARY, " --hub ",
                                               hub->address(), " demo load > /dev/null");
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
  }

  void TearDown() override {
    gateway_.reset();
    grpc_hub_.reset();
    http_hub_.reset();
    std::filesystem::remove_all(root_);
  }

  const Route& RouteOf(const std::string& method) {
    for (const Route& r : routes_.routes()) {
      if (r.method->full_name() == method) return r;
    }
    ADD_FAILURE() << "no route for " << method;
    return routes_.routes().front();
  }

  Answer ByGrpc(const Route& route, const std::string& token, const Message& request) {
    Answer a;
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer req(&slice, 1);
    grpc::Status st;
    auto take = [&](grpc::ByteBuffer* buf) {
      auto m = New(route.method->output_type());
      grpc::ProtoBufferReader reader(buf);
      EXPECT_TRUE(m->ParseFromZeroCopyStream(&reader));
      a.messages.push_back(std::move(m));
    };
    if (route.method->server_streaming()) {
      grpc::internal::RpcMethod method(route.grpc_method.c_str(),
                                       grpc::internal::RpcMethod::SERVER_STREAMING);
      std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
          grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(channel_.get(), method, &ctx, req));
      grpc::ByteBuffer buf;
      while (reader->Read(&buf)) take(&buf);
      st = reader->Finish();
    } else {
      grpc::internal::RpcMethod method(route.grpc_method.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
      grpc::ByteBuffer resp;
      st = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(channel_.get(), method, &ctx, req, &resp);
      if (st.ok()) take(&resp);
    }
    a.code = st.error_code();
    if (!st.ok()) {
      a.messages.clear();
      EXPECT_TRUE(a.status.ParseFromString(st.error_details())) << route.grpc_method;
    }
    return a;
  }

  Answer ByHttp(const Route& route, const std::string& token, const Message& request, int* http_status) {
    Answer a;
    const HttpCall call = ToHttp(route, request);
    httplib::Client client("127.0.0.1", gateway_->port());
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Result res =
        call.verb == "GET"      ? client.Get(call.target, headers)
        : call.verb == "DELETE" ? client.Delete(call.target, headers)
        : call.verb == "PATCH"  ? client.Patch(call.target, headers, call.body, "application/json")
                                : client.Post(call.target, headers, call.body, "application/json");
    EXPECT_TRUE(res) << call.verb << " " << call.target;
    if (!res) return a;
    *http_status = res->status;
    if (res->status != 200) {
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &a.status).ok()) << res->body;
      a.code = a.status.code();
      return a;
    }
    if (!route.response_body.empty()) {
      // Bytes: the concatenation of the stream's data fields.
      auto m = New(route.method->output_type());
      m->GetReflection()->SetString(m.get(), m->GetDescriptor()->FindFieldByName(route.response_body),
                                    res->body);
      if (!res->body.empty()) a.messages.push_back(std::move(m));
      return a;
    }
    for (absl::string_view line : absl::StrSplit(res->body, '\n', absl::SkipEmpty())) {
      auto m = New(route.method->output_type());
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), m.get()).ok())
          << route.grpc_method << ": " << line.substr(0, 300);
      a.messages.push_back(std::move(m));
    }
    return a;
  }

  // Calls both ways and compares. Returns the gRPC answer.
  Answer Both(const std::string& method, const std::string& token, const Message& request) {
    const Route& route = RouteOf(method);
    called_.insert(method);
    Answer g = ByGrpc(route, token, request);
    int http_status = 0;
    Answer h = ByHttp(route, token, request, &http_status);
    const std::string what = absl::StrCat(method, " as '", token, "' ", Text(request));
    EXPECT_EQ(g.code, h.code) << what << "\nhttp: " << Text(h.status);
    if (g.code != 0) {
      EXPECT_EQ(Text(g.status), Text(h.status)) << what;
      EXPECT_NE(http_status, 200) << what;
      return g;
    }
    if (route.response_body.empty()) {
      EXPECT_EQ(g.messages.size(), h.messages.size()) << what;
    }
    std::string gt, ht;
    for (auto& m : g.messages) Normalize(m.get()), gt += Text(*m) + "\n";
    for (auto& m : h.messages) Normalize(m.get()), ht += Text(*m) + "\n";
    if (route.response_body.empty() && g.messages.size() == h.messages.size()) {
      // Maps print in no set order: equal as messages is equal.
      bool same = true;
      for (size_t i = 0; i < g.messages.size(); ++i) {
        same &= google::protobuf::util::MessageDifferencer::Equals(*g.messages[i], *h.messages[i]);
      }
      if (same) return g;
    }
    if (!route.response_body.empty()) {
      // Bytes arrive in other chunks: compare their concatenation.
      gt.clear(), ht.clear();
      for (auto& m : g.messages) gt += m->GetReflection()->GetString(*m, m->GetDescriptor()->FindFieldByName(route.response_body));
      for (auto& m : h.messages) ht += m->GetReflection()->GetString(*m, m->GetDescriptor()->FindFieldByName(route.response_body));
    }
    EXPECT_EQ(gt, ht) << what;
    return g;
  }

  std::filesystem::path root_;
  std::unique_ptr<HubServer> grpc_hub_, http_hub_;
  std::unique_ptr<HttpGateway> gateway_;
  std::shared_ptr<grpc::Channel> channel_;
  RouteTable routes_;
  std::set<std::string> called_;
};

TEST_F(TransportParityTest, EveryMethodAnswersAlikeOverGrpcAndHttp) {
  const std::vector<std::string> callers = {"nrc-viewer", "nedo-submitter", "aist-steward",
                                            "admin", "", "not-a-token"};
  // The records, as each owner's steward sees them: everything, some
  // hidden to others.
  std::vector<std::string> names;
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"Sample", "samples"}, {"CellTest", "cellTests"}, {"Characterization", "characterizations"}};
  for (const char* institution : {"aist", "nedo", "libtec", "nrc"}) {
    for (const auto& [kind, collection] : kinds) {
      auto request = New(google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          absl::StrCat("batteryhub.v1.List", kind, "sRequest")));
      google::protobuf::util::JsonStringToMessage(
          absl::StrCat(R"({"parent": "institutions/)", institution, R"(", "pageSize": 100, "showDeleted": true})"),
          request.get());
      Answer all = Both(absl::StrCat("batteryhub.v1.", kind, "Service.List", kind, "s"),
                        absl::StrCat(institution, "-steward"), *request);
      ASSERT_EQ(all.code, 0);
      const Message& list = *all.messages[0];
      const FieldDescriptor* items = list.GetDescriptor()->field(0);
      for (int i = 0; i < list.GetReflection()->FieldSize(list, items); ++i) {
        const Message& item = list.GetReflection()->GetRepeatedMessage(list, items, i);
        names.push_back(FieldText(item, "name"));
      }
    }
  }
  ASSERT_GT(names.size(), 20u);

  auto json = [](const std::string& type, const std::string& text) {
    auto m = New(google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
        "batteryhub.v1." + type));
    auto st = google::protobuf::util::JsonStringToMessage(text, m.get());
    EXPECT_TRUE(st.ok()) << type << " " << text;
    return m;
  };
  const std::string s = "batteryhub.v1.";
  for (const std::string& who : callers) {
    Both(s + "AdminService.GetIdentity", who, *json("GetIdentityRequest", "{}"));
    Both(s + "AdminService.ListInstitutions", who, *json("ListInstitutionsRequest", "{}"));
    for (const auto& [kind, collection] : kinds) {
      for (const char* filter : {"", "owner = \"institutions/nrc\"", "create_time > 2020-01-01T00:00:00Z",
                                 "labels.project:*", "display_name = ", "nonsense(("}) {
        for (const char* order : {"", "update_time desc"}) {
          Both(absl::StrCat(s, kind, "Service.List", kind, "s"), who,
               *json(absl::StrCat("List", kind, "sRequest"),
                     absl::StrCat(R"({"parent": "institutions/-", "pageSize": 7, "filter": ")",
                                  absl::StrReplaceAll(filter, {{"\"", "\\\""}}),
                                  R"(", "orderBy": ")", order, R"("})")));
        }
      }
      Both(absl::StrCat(s, kind, "Service.List", kind, "s"), who,
           *json(absl::StrCat("List", kind, "sRequest"), R"({"parent": "institutions/nrc", "pageSize": -1})"));
    }
    for (const std::string& name : names) {
      const std::string collection = std::vector<std::string>(absl::StrSplit(name, '/'))[2];
      const std::string kind = collection == "samples"    ? "Sample"
                               : collection == "cellTests" ? "CellTest"
                                                           : "Characterization";
      const std::string by_name = absl::StrCat(R"({"name": ")", name, R"("})");
      Both(absl::StrCat(s, kind, "Service.Get", kind), who, *json(absl::StrCat("Get", kind, "Request"), by_name));
      Both(absl::StrCat(s, kind, "Service.Get", kind), who,
           *json(absl::StrCat("Get", kind, "Request"), absl::StrCat(R"({"name": ")", name, R"(@1"})")));
      Both(absl::StrCat(s, kind, "Service.List", kind, "Revisions"), who,
           *json(absl::StrCat("List", kind, "RevisionsRequest"), by_name));
      Both(s + "LineageService.GetLineage", who, *json("GetLineageRequest", by_name));
      Both(s + "LineageService.GetLineage", who,
           *json("GetLineageRequest", absl::StrCat(R"({"name": ")", name, R"(", "direction": "LINEAGE_DIRECTION_UP"})")));
      Both(s + "PolicyService.GetRecordAccess", who, *json("GetRecordAccessRequest", by_name));
      Both(s + "PolicyService.CheckAccess", who,
           *json("CheckAccessRequest", absl::StrCat(R"({"name": ")", name, R"(", "institution": "institutions/nedo"})")));
      if (kind == "CellTest") {
        Both(s + "SeriesService.ReadSeries", who,
             *json("ReadSeriesRequest", absl::StrCat(R"({"name": ")", name, R"(", "columns": ["voltage_volt", "test_time_second"], "endRow": 500})")));
        Both(s + "SeriesService.ReadSeries", who,
             *json("ReadSeriesRequest", absl::StrCat(R"({"name": ")", name, R"(", "startCycle": 2, "endCycle": 3})")));
        Both(s + "SeriesService.ReadSeries", who,
             *json("ReadSeriesRequest", absl::StrCat(R"({"name": ")", name, R"(", "columns": ["no_such_column"]})")));
        Both(s + "SeriesService.PlotSeries", who,
             *json("PlotSeriesRequest", absl::StrCat(R"({"name": ")", name, R"(", "buckets": 50})")));
        Both(s + "SeriesService.PlotSeries", who,
             *json("PlotSeriesRequest", absl::StrCat(R"({"name": ")", name, R"(", "buckets": 20000})")));
        Both(s + "SeriesService.ListCycleSummaries", who,
             *json("ListCycleSummariesRequest", absl::StrCat(R"({"name": ")", name, R"(", "pageSize": 5})")));
        Both(s + "SeriesService.ReadRawFile", who,
             *json("ReadRawFileRequest", absl::StrCat(R"({"cellTest": ")", name, R"(", "sha256": ")", std::string(64, 'a'), R"("})")));
        Both(s + "SeriesService.GetUploadStatus", who,
             *json("GetUploadStatusRequest", absl::StrCat(R"({"cellTest": ")", name, R"(", "uploadId": "u1"})")));
        Both(s + "SeriesService.AbortUpload", who,
             *json("AbortUploadRequest", absl::StrCat(R"({"cellTest": ")", name, R"(", "uploadId": "u1"})")));
      }
    }
    // Names that do not exist answer like hidden ones.
    Both(s + "SampleService.GetSample", who, *json("GetSampleRequest", R"({"name": "institutions/nrc/samples/none-such"})"));
    Both(s + "PolicyService.GetAccessDefaults", who, *json("GetAccessDefaultsRequest", R"({"name": "institutions/nrc/accessDefaults"})"));
    Both(s + "PolicyService.ListAgreements", who, *json("ListAgreementsRequest", "{}"));
    Both(s + "PolicyService.GetAgreement", who, *json("GetAgreementRequest", R"({"name": "agreements/none-such"})"));
    Both(s + "AdminService.ListTokens", who, *json("ListTokensRequest", R"({"parent": "institutions/nrc"})"));
    Both(s + "AdminService.DeleteToken", who, *json("DeleteTokenRequest", R"({"name": "institutions/nrc/tokens/0000"})"));
    Both(s + "SyncService.GetHubInfo", who, *json("GetHubInfoRequest", "{}"));
    Both(s + "SyncService.GetSyncCursor", who, *json("GetSyncCursorRequest", "{}"));
  }

  // Writes, the same on both hubs, as submitters, stewards and outsiders.
  const std::string sample = R"({"displayName": "parity lot", "kind": "SAMPLE_KIND_MATERIAL_LOT",
      "materialLot": {"materialClass": "MATERIAL_CLASS_CATHODE_ACTIVE", "material": "NMC811"},
      "labels": {"project": "parity"}})";
  for (const std::string& who : {std::string("nrc-submitter"), std::string("nedo-submitter"), std::string("nrc-viewer")}) {
    Both(s + "SampleService.CreateSample", who,
         *json("CreateSampleRequest", absl::StrCat(R"({"parent": "institutions/nrc", "sampleId": "parity-1", "sample": )", sample, "}")));
  }
  Both(s + "SampleService.CreateSample", "nrc-submitter",
       *json("CreateSampleRequest", R"({"parent": "institutions/nrc", "sampleId": "Bad Id", "sample": {}})"));
  Both(s + "SampleService.CreateSample", "nrc-submitter",
       *json("CreateSampleRequest", absl::StrCat(R"({"parent": "institutions/nrc", "sampleId": "parity-2", "validateOnly": true, "sample": )", sample, "}")));
  Both(s + "SampleService.UpdateSample", "nrc-submitter",
       *json("UpdateSampleRequest", R"({"sample": {"name": "institutions/nrc/samples/parity-1", "displayName": "renamed"}, "updateMask": "displayName"})"));
  Both(s + "SampleService.UpdateSample", "nedo-submitter",
       *json("UpdateSampleRequest", R"({"sample": {"name": "institutions/nrc/samples/parity-1", "displayName": "x"}})"));
  Both(s + "PolicyService.UpdateRecordAccess", "nrc-steward",
       *json("UpdateRecordAccessRequest", R"({"name": "institutions/nrc/samples/parity-1", "access": {"visibility": "VISIBILITY_PRIVATE"}})"));
  for (const std::string& who : callers) {
    Both(s + "SampleService.GetSample", who, *json("GetSampleRequest", R"({"name": "institutions/nrc/samples/parity-1"})"));
  }
  Both(s + "SampleService.DeleteSample", "nrc-steward", *json("DeleteSampleRequest", R"({"name": "institutions/nrc/samples/parity-1"})"));
  Both(s + "SampleService.UndeleteSample", "nrc-steward", *json("UndeleteSampleRequest", R"({"name": "institutions/nrc/samples/parity-1"})"));
  Both(s + "CellTestService.CreateCellTest", "nrc-submitter", *json("CreateCellTestRequest", R"({"parent": "institutions/nrc", "cellTestId": "ct-parity", "cellTest": {}})"));
  Both(s + "CellTestService.UpdateCellTest", "nrc-submitter", *json("UpdateCellTestRequest", R"({"cellTest": {"name": "institutions/nrc/cellTests/ct-001", "displayName": "renamed"}, "updateMask": "displayName"})"));
  Both(s + "CellTestService.DeleteCellTest", "nedo-steward", *json("DeleteCellTestRequest", R"({"name": "institutions/nrc/cellTests/ct-001"})"));
  Both(s + "CellTestService.UndeleteCellTest", "nrc-steward", *json("UndeleteCellTestRequest", R"({"name": "institutions/nrc/cellTests/ct-001"})"));
  Both(s + "CharacterizationService.CreateCharacterization", "nrc-submitter", *json("CreateCharacterizationRequest", R"({"parent": "institutions/nrc", "characterizationId": "c-parity", "characterization": {}})"));
  Both(s + "CharacterizationService.UpdateCharacterization", "aist-submitter", *json("UpdateCharacterizationRequest", R"({"characterization": {"name": "institutions/nrc/characterizations/none"}})"));
  Both(s + "CharacterizationService.DeleteCharacterization", "nrc-steward", *json("DeleteCharacterizationRequest", R"({"name": "institutions/nrc/characterizations/none"})"));
  Both(s + "CharacterizationService.UndeleteCharacterization", "nrc-steward", *json("UndeleteCharacterizationRequest", R"({"name": "institutions/nrc/characterizations/none"})"));
  Both(s + "PolicyService.UpdateAccessDefaults", "nrc-steward", *json("UpdateAccessDefaultsRequest", R"({"accessDefaults": {"name": "institutions/nrc/accessDefaults", "access": {"visibility": "VISIBILITY_CONSORTIUM"}}, "validateOnly": true})"));
  Both(s + "PolicyService.CreateAgreement", "admin", *json("CreateAgreementRequest", R"({"agreementId": "parity", "agreement": {"displayName": "p", "members": ["institutions/nrc", "institutions/aist"], "tier": "TIER_SUMMARY"}})"));
  Both(s + "PolicyService.UpdateAgreement", "admin", *json("UpdateAgreementRequest", R"({"agreement": {"name": "agreements/parity", "displayName": "p2", "members": ["institutions/nrc", "institutions/aist"], "tier": "TIER_FULL"}})"));
  Both(s + "PolicyService.GetAgreement", "nrc-viewer", *json("GetAgreementRequest", R"({"name": "agreements/parity"})"));
  Both(s + "AdminService.CreateToken", "nrc-steward", *json("CreateTokenRequest", R"({"parent": "institutions/nrc", "role": "ROLE_VIEWER", "principalId": "parity-viewer"})"));
  Both(s + "AdminService.CreateToken", "nrc-submitter", *json("CreateTokenRequest", R"({"parent": "institutions/nrc", "role": "ROLE_ADMIN"})"));
  Both(s + "AdminService.VerifyLedger", "admin", *json("VerifyLedgerRequest", "{}"));
  Both(s + "AdminService.VerifyLedger", "nrc-steward", *json("VerifyLedgerRequest", "{}"));
  // The same audit trail: every call above left the same entries on both hubs.
  Both(s + "AdminService.ListAuditEntries", "admin",
       *json("ListAuditEntriesRequest", R"({"parent": "institutions/-", "pageSize": 1000})"));

  for (const Route& r : routes_.routes()) {
    EXPECT_TRUE(called_.count(r.method->full_name())) << "not called over both: " << r.method->full_name();
  }
}

}  // namespace
}  // namespace batteryhub::http
