// What a tier or a restriction hides in a record, read from the field
// options of the API (`min_tier`, `restricted` in common.proto) plus the
// paths a steward names in `access.restricted_fields`. The one place where
// a reader's view of a record is cut to its decision.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "policy/policy_engine.h"

namespace batteryhub {

class FieldPolicy {
 public:
  // The policy of a resource type (Sample, Characterization, CellTest),
  // built once from its descriptor.
  static const FieldPolicy& For(const google::protobuf::Descriptor* resource);

  // Field paths `d` hides on a record with `access` ("results",
  // "material_lot.origin.supplier", ...), sorted.
  std::vector<std::string> HiddenPaths(const ReadDecision& d,
                                       const ::batteryhub::v1::Access& access) const;

  // Whether the filter or order column `column` ("material_lot.origin",
  // "summary.capacity_retention") touches a field hidden from `d`: a query
  // on it must not admit the record, whatever its value.
  bool Hides(absl::string_view column, const ReadDecision& d,
             const ::batteryhub::v1::Access& access) const;

  // Clears what `d` hides in `resource` (whose `access` field it reads) and
  // trims `access` to what a partner may know (its own grant). When anything
  // was cut, the content digest and etag go too: they would let a reader
  // test guesses of the hidden values.
  void Redact(const ReadDecision& d, const std::string& reader_institution,
              google::protobuf::Message* resource) const;

  // Clears the etag and the content digest of `resource`: a view that is not
  // the stored revision itself must not carry them.
  static void WithholdDigests(google::protobuf::Message* resource);

  // INVALID_ARGUMENT unless `path` names a field of the resource reached
  // through singular messages ("cell.manufacturer").
  absl::Status CheckPath(absl::string_view path) const;

 private:
  struct Entry {
    std::string path;
    ::batteryhub::v1::Tier min_tier;
    bool restricted;
  };
  explicit FieldPolicy(const google::protobuf::Descriptor* resource);
  void Collect(const google::protobuf::Descriptor* d, const std::string& prefix, int depth);

  const google::protobuf::Descriptor* resource_;
  std::vector<Entry> entries_;
};

// True when one of the dotted paths is the other or lies inside it.
bool PathsOverlap(absl::string_view a, absl::string_view b);

}  // namespace batteryhub
