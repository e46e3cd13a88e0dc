// One run of a sync job: pull a peer hub's change feed as seen by this
// institution and apply it to the local hub, then recheck the replicas
// already held (access narrowed or revoked at the origin withdraws them).
// The cursor lives in the local hub and moves in the same commit as the
// replicas, so a run killed at any point resumes where it stopped, and a
// batch applied twice changes nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "clients/cpp/hub_client.h"

namespace batteryhub::client {

struct SyncOptions {
  // Changes per StreamChanges / ApplyChanges round.
  int batch = 500;
  // Read the whole feed again from its start (the cursor does not move
  // back): a safety net for what no ledger entry or opening records (such
  // as institutions added to the origin's configuration). Run it weekly.
  bool full = false;
};

struct SyncSummary {
  std::string origin_hub;
  uint64_t cursor_before = 0;
  uint64_t cursor_after = 0;
  int64_t applied = 0;
  int64_t unchanged = 0;
  int64_t withdrawn = 0;
  // Series (with their raw files) copied, their rows, and their bytes (in
  // `bytes`).
  int64_t series = 0;
  int64_t rows = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

// `peer` is authenticated as a principal of the local institution at the
// peer; `local` as the local hub's admin. Each step is retried on
// UNAVAILABLE as the clients' options say (exponential backoff, jitter).
grpc::Status SyncOnce(HubClient& peer, HubClient& local, const SyncOptions& options,
                      SyncSummary* summary);

}  // namespace batteryhub::client
