// Early-return helpers for absl::Status (Abseil 20220623 ships none).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define BHUB_CONCAT_INNER(a, b) a##b
#define BHUB_CONCAT(a, b) BHUB_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::absl::Status bhub_status_ = (expr);           \
    if (!bhub_status_.ok()) return bhub_status_;    \
  } while (0)

#define BHUB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(*tmp)

// `lhs = *expr` when `expr` (an absl::StatusOr) is OK; otherwise returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  BHUB_ASSIGN_OR_RETURN_IMPL(BHUB_CONCAT(bhub_statusor_, __LINE__), lhs, expr)
