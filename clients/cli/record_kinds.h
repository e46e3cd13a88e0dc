// Binds each record kind to its request types and client methods, so the
// record commands are written once.
#pragma once

#include "clients/cli/cli.h"
#include "clients/cpp/hub_client.h"
#include "core/record_kinds.h"

namespace batteryhub::cli {

namespace v1 = ::batteryhub::v1;
using client::HubClient;

struct SampleKind {
  using Resource = v1::Sample;
  using CreateRequest = v1::CreateSampleRequest;
  using ListRequest = v1::ListSamplesRequest;
  using ListResponse = v1::ListSamplesResponse;
  using UpdateRequest = v1::UpdateSampleRequest;
  using DeleteRequest = v1::DeleteSampleRequest;
  using UndeleteRequest = v1::UndeleteSampleRequest;
  using RevisionsRequest = v1::ListSampleRevisionsRequest;
  using RevisionsResponse = v1::ListSampleRevisionsResponse;
  static constexpr const char* kCollection = SampleTraits::kCollection;
  static Resource* Body(CreateRequest* r) { return r->mutable_sample(); }
  static Resource* Body(UpdateRequest* r) { return r->mutable_sample(); }
  static void SetId(CreateRequest* r, const std::string& id) { r->set_sample_id(id); }
  static const auto& Items(const ListResponse& r) { return r.samples(); }
  static const auto& Items(const RevisionsResponse& r) { return r.samples(); }
  static auto Create(HubClient& c, const CreateRequest& r, Resource* o) { return c.CreateSample(r, o); }
  static auto Get(HubClient& c, const std::string& n, Resource* o) { return c.GetSample(n, o); }
  static auto List(HubClient& c, const ListRequest& r, ListResponse* o) { return c.ListSamples(r, o); }
  static auto Update(HubClient& c, const UpdateRequest& r, Resource* o) { return c.UpdateSample(r, o); }
  static auto Revisions(HubClient& c, const RevisionsRequest& r, RevisionsResponse* o) {
    return c.ListSampleRevisions(r, o);
  }
  static auto Delete(HubClient& c, const DeleteRequest& r, Resource* o) { return c.DeleteSample(r, o); }
  static auto Undelete(HubClient& c, const UndeleteRequest& r, Resource* o) {
    return c.UndeleteSample(r, o);
  }
};

struct CharacterizationKind {
  using Resource = v1::Characterization;
  using CreateRequest = v1::CreateCharacterizationRequest;
  using ListRequest = v1::ListCharacterizationsRequest;
  using ListResponse = v1::ListCharacterizationsResponse;
  using UpdateRequest = v1::UpdateCharacterizationRequest;
  using DeleteRequest = v1::DeleteCharacterizationRequest;
  using UndeleteRequest = v1::UndeleteCharacterizationRequest;
  using RevisionsRequest = v1::ListCharacterizationRevisionsRequest;
  using RevisionsResponse = v1::ListCharacterizationRevisionsResponse;
  static constexpr const char* kCollection = CharacterizationTraits::kCollection;
  static Resource* Body(CreateRequest* r) { return r->mutable_characterization(); }
  static Resource* Body(UpdateRequest* r) { return r->mutable_characterization(); }
  static void SetId(CreateRequest* r, const std::string& id) { r->set_characterization_id(id); }
  static const auto& Items(const ListResponse& r) { return r.characterizations(); }
  static const auto& Items(const RevisionsResponse& r) { return r.characterizations(); }
  static auto Create(HubClient& c, const CreateRequest& r, Resource* o) {
    return c.CreateCharacterization(r, o);
  }
  static auto Get(HubClient& c, const std::string& n, Resource* o) {
    return c.GetCharacterization(n, o);
  }
  static auto List(HubClient& c, const ListRequest& r, ListResponse* o) {
    return c.ListCharacterizations(r, o);
  }
  static auto Update(HubClient& c, const UpdateRequest& r, Resource* o) {
    return c.UpdateCharacterization(r, o);
  }
  static auto Revisions(HubClient& c, const RevisionsRequest& r, RevisionsResponse* o) {
    return c.ListCharacterizationRevisions(r, o);
  }
  static auto Delete(HubClient& c, const DeleteRequest& r, Resource* o) { return c.DeleteCharacterization(r, o); }
  static auto Undelete(HubClient& c, const UndeleteRequest& r, Resource* o) {
    return c.UndeleteCharacterization(r, o);
  }
};

struct CellTestKind {
  using Resource = v1::CellTest;
  using CreateRequest = v1::CreateCellTestRequest;
  using ListRequest = v1::ListCellTestsRequest;
  using ListResponse = v1::ListCellTestsResponse;
  using UpdateRequest = v1::UpdateCellTestRequest;
  using DeleteRequest = v1::DeleteCellTestRequest;
  using UndeleteRequest = v1::UndeleteCellTestRequest;
  using RevisionsRequest = v1::ListCellTestRevisionsRequest;
  using RevisionsResponse = v1::ListCellTestRevisionsResponse;
  static constexpr const char* kCollection = CellTestTraits::kCollection;
  static Resource* Body(CreateRequest* r) { return r->mutable_cell_test(); }
  static Resource* Body(UpdateRequest* r) { return r->mutable_cell_test(); }
  static void SetId(CreateRequest* r, const std::string& id) { r->set_cell_test_id(id); }
  static const auto& Items(const ListResponse& r) { return r.cell_tests(); }
  static const auto& Items(const RevisionsResponse& r) { return r.cell_tests(); }
  static auto Create(HubClient& c, const CreateRequest& r, Resource* o) { return c.CreateCellTest(r, o); }
  static auto Get(HubClient& c, const std::string& n, Resource* o) { return c.GetCellTest(n, o); }
  static auto List(HubClient& c, const ListRequest& r, ListResponse* o) { return c.ListCellTests(r, o); }
  static auto Update(HubClient& c, const UpdateRequest& r, Resource* o) { return c.UpdateCellTest(r, o); }
  static auto Revisions(HubClient& c, const RevisionsRequest& r, RevisionsResponse* o) {
    return c.ListCellTestRevisions(r, o);
  }
  static auto Delete(HubClient& c, const DeleteRequest& r, Resource* o) { return c.DeleteCellTest(r, o); }
  static auto Undelete(HubClient& c, const UndeleteRequest& r, Resource* o) {
    return c.UndeleteCellTest(r, o);
  }
};

// Calls `f.template operator()<Kind>()` for the kind named by a CLI word
// ("sample", "samples", "cell-test", ...) or by the collection in a resource
// name; a usage error with `unknown` when none matches.
template <typename F>
int WithKind(const std::string& word, const std::string& unknown, F&& f) {
  if (word == "sample" || word == "samples") return f.template operator()<SampleKind>();
  if (word == "characterization" || word == "characterizations") {
    return f.template operator()<CharacterizationKind>();
  }
  if (word == "cell-test" || word == "cell-tests" || word == "cellTests") {
    return f.template operator()<CellTestKind>();
  }
  return UsageError(unknown);
}

// The collection segment of "institutions/{i}/{collection}/{id}[@rev]".
inline std::string CollectionOf(const std::string& name) {
  size_t a = name.find('/');
  size_t b = a == std::string::npos ? a : name.find('/', a + 1);
  size_t c = b == std::string::npos ? b : name.find('/', b + 1);
  if (c == std::string::npos) return "";
  return name.substr(b + 1, c - b - 1);
}

}  // namespace batteryhub::cli
