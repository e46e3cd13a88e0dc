// The gRPC services of the three record kinds; each method is one call into
// RecordCalls.
#pragma once

#include "batteryhub/v1/cell_test_service.grpc.pb.h"
#include "batteryhub/v1/characterization_service.grpc.pb.h"
#include "batteryhub/v1/sample_service.grpc.pb.h"
#include "services/record_calls.h"

namespace batteryhub {

using grpc::ServerContext;

class SampleServiceImpl final : public v1::SampleService::Service {
 public:
  explicit SampleServiceImpl(const ServiceContext& hub) : calls_(hub) {}
  grpc::Status CreateSample(ServerContext* c, const v1::CreateSampleRequest* r,
                            v1::Sample* out) override {
    return calls_.Create(*c, "CreateSample", *r, r->sample(), r->sample_id(), out);
  }
  grpc::Status GetSample(ServerContext* c, const v1::GetSampleRequest* r,
                         v1::Sample* out) override {
    return calls_.Get(*c, "GetSample", r->name(), out);
  }
  grpc::Status ListSamples(ServerContext* c, const v1::ListSamplesRequest* r,
                           v1::ListSamplesResponse* out) override {
    return calls_.List(*c, "ListSamples", *r, out->mutable_samples(),
                       out->mutable_next_page_token());
  }
  grpc::Status UpdateSample(ServerContext* c, const v1::UpdateSampleRequest* r,
                            v1::Sample* out) override {
    return calls_.Update(*c, "UpdateSample", *r, r->sample(), out);
  }
  grpc::Status ListSampleRevisions(ServerContext* c, const v1::ListSampleRevisionsRequest* r,
                                   v1::ListSampleRevisionsResponse* out) override {
    return calls_.ListRevisions(*c, "ListSampleRevisions", *r, out->mutable_samples(),
                                out->mutable_next_page_token());
  }
  grpc::Status DeleteSample(ServerContext* c, const v1::DeleteSampleRequest* r,
                            v1::Sample* out) override {
    return calls_.SetDeleted(*c, "DeleteSample", *r, true, out);
  }
  grpc::Status UndeleteSample(ServerContext* c, const v1::UndeleteSampleRequest* r,
                              v1::Sample* out) override {
    return calls_.SetDeleted(*c, "UndeleteSample", *r, false, out);
  }

 private:
  RecordCalls<SampleTraits> calls_;
};

class CharacterizationServiceImpl final : public v1::CharacterizationService::Service {
 public:
  explicit CharacterizationServiceImpl(const ServiceContext& hub) : calls_(hub) {}
  grpc::Status CreateCharacterization(ServerContext* c, const v1::CreateCharacterizationRequest* r,
                                      v1::Characterization* out) override {
    return calls_.Create(*c, "CreateCharacterization", *r, r->characterization(),
                         r->characterization_id(), out);
  }
  grpc::Status GetCharacterization(ServerContext* c, const v1::GetCharacterizationRequest* r,
                                   v1::Characterization* out) override {
    return calls_.Get(*c, "GetCharacterization", r->name(), out);
  }
  grpc::Status ListCharacterizations(ServerContext* c, const v1::ListCharacterizationsRequest* r,
                                     v1::ListCharacterizationsResponse* out) override {
    return calls_.List(*c, "ListCharacterizations", *r, out->mutable_characterizations(),
                       out->mutable_next_page_token());
  }
  grpc::Status UpdateCharacterization(ServerContext* c, const v1::UpdateCharacterizationRequest* r,
                                      v1::Characterization* out) override {
    return calls_.Update(*c, "UpdateCharacterization", *r, r->characterization(), out);
  }
  grpc::Status ListCharacterizationRevisions(
      ServerContext* c, const v1::ListCharacterizationRevisionsRequest* r,
      v1::ListCharacterizationRevisionsResponse* out) override {
    return calls_.ListRevisions(*c, "ListCharacterizationRevisions", *r,
                                out->mutable_characterizations(), out->mutable_next_page_token());
  }
  grpc::Status DeleteCharacterization(ServerContext* c, const v1::DeleteCharacterizationRequest* r,
                            v1::Characterization* out) override {
    return calls_.SetDeleted(*c, "DeleteCharacterization", *r, true, out);
  }
  grpc::Status UndeleteCharacterization(ServerContext* c, const v1::UndeleteCharacterizationRequest* r,
                              v1::Characterization* out) override {
    return calls_.SetDeleted(*c, "UndeleteCharacterization", *r, false, out);
  }

 private:
  RecordCalls<CharacterizationTraits> calls_;
};

class CellTestServiceImpl final : public v1::CellTestService::Service {
 public:
  explicit CellTestServiceImpl(const ServiceContext& hub) : calls_(hub) {}
  grpc::Status CreateCellTest(ServerContext* c, const v1::CreateCellTestRequest* r,
                              v1::CellTest* out) override {
    return calls_.Create(*c, "CreateCellTest", *r, r->cell_test(), r->cell_test_id(), out);
  }
  grpc::Status GetCellTest(ServerContext* c, const v1::GetCellTestRequest* r,
                           v1::CellTest* out) override {
    return calls_.Get(*c, "GetCellTest", r->name(), out);
  }
  grpc::Status ListCellTests(ServerContext* c, const v1::ListCellTestsRequest* r,
                             v1::ListCellTestsResponse* out) override {
    return calls_.List(*c, "ListCellTests", *r, out->mutable_cell_tests(),
                       out->mutable_next_page_token());
  }
  grpc::Status UpdateCellTest(ServerContext* c, const v1::UpdateCellTestRequest* r,
                              v1::CellTest* out) override {
    return calls_.Update(*c, "UpdateCellTest", *r, r->cell_test(), out);
  }
  grpc::Status ListCellTestRevisions(ServerContext* c, const v1::ListCellTestRevisionsRequest* r,
                                     v1::ListCellTestRevisionsResponse* out) override {
    return calls_.ListRevisions(*c, "ListCellTestRevisions", *r, out->mutable_cell_tests(),
                                out->mutable_next_page_token());
  }
  grpc::Status DeleteCellTest(ServerContext* c, const v1::DeleteCellTestRequest* r,
                            v1::CellTest* out) override {
    return calls_.SetDeleted(*c, "DeleteCellTest", *r, true, out);
  }
  grpc::Status UndeleteCellTest(ServerContext* c, const v1::UndeleteCellTestRequest* r,
                              v1::CellTest* out) override {
    return calls_.SetDeleted(*c, "UndeleteCellTest", *r, false, out);
  }

 private:
  RecordCalls<CellTestTraits> calls_;
};

}  // namespace batteryhub
