// Filter text -> parse, check against every record kind, evaluate.
#include <cstdint>
#include <string>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "query/filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = batteryhub::ParseFilter(text);
  if (!parsed.ok() || !*parsed) return 0;
  static const auto* sample = [] {
    auto* s = new batteryhub::v1::Sample();
    s->set_name("institutions/nrc/samples/s");
    s->set_description("d");
    s->add_derived_from("institutions/nrc/samples/p");
    s->mutable_material_lot()->mutable_origin()->set_country("CA");
    (*s->mutable_labels())["project"] = "p";
    s->mutable_create_time()->set_seconds(1767225600);
    return s;
  }();
  batteryhub::v1::CellTest test;
  test.mutable_protocol()->mutable_temperature()->set_value(25);
  batteryhub::v1::Characterization ch;
  ch.add_results()->set_name("d50");
  for (const google::protobuf::Message* m :
       {static_cast<const google::protobuf::Message*>(sample),
        static_cast<const google::protobuf::Message*>(&test),
        static_cast<const google::protobuf::Message*>(&ch)}) {
    if (batteryhub::CheckFilter(**parsed, m->GetDescriptor()).ok()) {
      batteryhub::MatchesFilter(parsed->get(), *m,
                                [](const batteryhub::FilterNode&, const google::protobuf::Message&) {
                                  return true;
                                });
    }
  }
  batteryhub::TopLevelRestrictions(parsed->get());
  batteryhub::IsConjunction(parsed->get());
  return 0;
}
