#include "domain/record_view.h"

#include <google/protobuf/util/message_differencer.h>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "core/record_kinds.h"
#include "policy/field_policy.h"

namespace batteryhub {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::unique_ptr<Message> NewResource(storage::RecordKind kind) {
  const RecordKindInfo* info = FindRecordKind(kind);
  if (info == nullptr || !info->data_record) return nullptr;
  return std::unique_ptr<Message>(info->prototype->New());
}

namespace {

void Cut(const ReadDecision& d, const std::string& reader_institution,
         const storage::StoredRecord* current, Message* resource) {
  if (d.whole()) return;
  // Redact withholds the etag and digest when it cuts something; a past
  // revision shown under today's access is cut too when that access differs.
  bool access_replaced = false;
  const FieldDescriptor* access = resource->GetDescriptor()->FindFieldByName("access");
  if (current != nullptr && access != nullptr) {
    Message* mine = resource->GetReflection()->MutableMessage(resource, access);
    access_replaced = !google::protobuf::util::MessageDifferencer::Equals(*mine, current->access());
    mine->CopyFrom(current->access());
  }
  FieldPolicy::For(resource->GetDescriptor()).Redact(d, reader_institution, resource);
  if (access_replaced) FieldPolicy::WithholdDigests(resource);
}

}  // namespace

void CutResource(const ReadDecision& d, const std::string& reader_institution,
                 Message* resource) {
  Cut(d, reader_institution, nullptr, resource);
}

void CutToView(const ReadDecision& d, const std::string& reader_institution,
               const storage::StoredRecord& current, const storage::StoredRecord& revision,
               Message* resource) {
  Cut(d, reader_institution, revision.origin_hub().empty() ? &current : nullptr, resource);
}

std::vector<std::string> VisibleReferences(const ReadDecision& d,
                                           const std::string& reader_institution,
                                           const storage::StoredRecord& record) {
  if (d.whole()) return {record.references().begin(), record.references().end()};
  std::unique_ptr<Message> view = NewResource(record.kind());
  if (view == nullptr || !view->ParseFromString(record.resource())) return {};
  CutResource(d, reader_institution, view.get());
  const auto* resource_prov = view->GetDescriptor()->FindFieldByName("provenance");
  const auto& prov = static_cast<const ::batteryhub::v1::Provenance&>(
      view->GetReflection()->GetMessage(*view, resource_prov));
  std::vector<std::string> out;
  for (const std::string& ref : prov.derived_from_revisions()) {
    out.push_back(ref.substr(0, ref.find('@')));
  }
  return out;
}

}  // namespace batteryhub
