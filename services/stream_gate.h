// Bounds on streaming calls, so that a few clients cannot hold every server
// thread (the sync gRPC API keeps one per open stream): at most `total`
// open streams on the hub (below the thread limit, so unary calls always
// have threads), at most `per_caller` per principal, and a stream with no
// message read or written for `idle` is cancelled.
#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace batteryhub {

class StreamGate;

// An open stream's place at the gate; released when destroyed. While it
// lives on a thread, ReadMessage/WriteMessage there mark it active.
class StreamSlot {
 public:
  ~StreamSlot();
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

  // Marks the stream on this thread active (no-op without one).
  static void TouchCurrent();

 private:
  friend class StreamGate;
  StreamSlot(StreamGate* gate, uint64_t id) : gate_(gate), id_(id), previous_(current_) {
    current_ = this;
  }
  StreamGate* gate_;
  uint64_t id_;
  StreamSlot* previous_;
  static thread_local StreamSlot* current_;
};

class StreamGate {
 public:
  StreamGate(int total, int per_caller, std::chrono::milliseconds idle);
  ~StreamGate();  // stops the watchdog; no slot may outlive the gate

  // A slot for a stream of `principal` served with `ctx`, or
  // RESOURCE_EXHAUSTED naming the limit that was reached.
  absl::StatusOr<std::unique_ptr<StreamSlot>> Open(const std::string& principal,
                                                   grpc::ServerContext* ctx);

 private:
  friend class StreamSlot;
  struct Entry {
    std::string principal;
    grpc::ServerContext* ctx;
    std::chrono::steady_clock::time_point last;
    bool cancelled = false;
  };
  void Touch(uint64_t id);
  void Close(uint64_t id);
  void Watch();

  const int total_, per_caller_;
  const std::chrono::milliseconds idle_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Entry> open_;
  std::map<std::string, int> per_principal_;
  std::thread watchdog_;
};

// reader->Read / writer->Write that mark the current stream active.
template <typename Reader, typename Message>
bool ReadMessage(Reader* reader, Message* message) {
  const bool ok = reader->Read(message);
  StreamSlot::TouchCurrent();
  return ok;
}
template <typename Writer, typename Message>
bool WriteMessage(Writer* writer, const Message& message) {
  const bool ok = writer->Write(message);
  StreamSlot::TouchCurrent();
  return ok;
}

}  // namespace batteryhub
