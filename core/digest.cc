#include "core/digest.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <memory>

#include "core/sha256.h"

namespace batteryhub {
namespace {

using google::protobuf::Message;

void ClearField(Message* m, const char* name) {
  const auto* field = m->GetDescriptor()->FindFieldByName(name);
  if (field != nullptr) m->GetReflection()->ClearField(m, field);
}

}  // namespace

std::string DeterministicBytes(const Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

std::string ContentDigest(const Message& record) {
  std::unique_ptr<Message> copy(record.New());
  copy->CopyFrom(record);
  for (const char* name :
       {"etag", "revision_id", "create_time", "update_time", "revision_create_time"}) {
    ClearField(copy.get(), name);
  }
  const auto* provenance_field = copy->GetDescriptor()->FindFieldByName("provenance");
  if (provenance_field != nullptr && copy->GetReflection()->HasField(*copy, provenance_field)) {
    Message* provenance = copy->GetReflection()->MutableMessage(copy.get(), provenance_field);
    ClearField(provenance, "content_digest");
    ClearField(provenance, "ledger_sequence");
    // An empty provenance and an absent one are the same content.
    if (provenance->ByteSizeLong() == 0) {
      copy->GetReflection()->ClearField(copy.get(), provenance_field);
    }
  }
  return Sha256Hex(DeterministicBytes(*copy));
}

}  // namespace batteryhub
