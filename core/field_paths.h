// Values at a field path of a message (`cell.chemistry`, `labels.project`,
// `protocol.temperature`), resolved by protobuf reflection: what filters
// compare and indexes store. Nested messages, map keys, repeated fields
// (every element), enums (by name), Quantity (its canonical value) and
// Timestamp (seconds) are understood.
#pragma once

#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <vector>

namespace batteryhub {

// One value found at a path.
struct FieldValue {
  enum class Type { kString, kNumber, kBool, kEnum, kPresence };
  explicit FieldValue(Type t, std::string s = "", double n = 0,
                      const google::protobuf::EnumDescriptor* e = nullptr)
      : type(t), text(std::move(s)), number(n), enum_type(e) {}
  Type type;
  std::string text;  // string, enum name, map key
  double number;
  std::string unit;  // a Quantity's unit (canonical once stored)
  const google::protobuf::EnumDescriptor* enum_type;
};

// Every value at `path` of `m` (a message field ending the path is a
// presence, unless it is a Quantity or Timestamp); unknown names give none.
// A repeated message with a `name` and a Quantity `value` (ScalarResult) is
// keyed by name: `results.d50` is the value of the result named d50.
std::vector<FieldValue> FieldValuesAt(const google::protobuf::Message& m,
                                      const std::vector<std::string>& path);

// Quantity and Timestamp: messages compared as one number.
bool IsLeafMessage(const google::protobuf::Descriptor* d);

// Whether elements of `d` are addressed by name (a string `name` and a
// Quantity `value`, as ScalarResult).
bool IsNamedQuantity(const google::protobuf::Descriptor* d);

// Seconds since the Unix epoch of a timestamp literal (RFC 3339, or a date
// YYYY-MM-DD at 00:00 UTC); nullopt when it is not one.
std::optional<double> ParseFilterTime(const std::string& text);

// A scalar found at a field path, as an index stores it: enums by name,
// Quantity and Timestamp as numbers.
struct PathValue {
  bool is_number = false;
  std::string text;
  double number = 0;
};
std::vector<PathValue> ValuesAtPath(const google::protobuf::Message& message,
                                    const std::vector<std::string>& path);

}  // namespace batteryhub
