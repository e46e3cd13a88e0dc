#include "services/stream_gate.h"

#include <malloc.h>

#include "absl/strings/str_cat.h"
#include "core/errors.h"

namespace batteryhub {

thread_local StreamSlot* StreamSlot::current_ = nullptr;

StreamSlot::~StreamSlot() {
  current_ = previous_;
  gate_->Close(id_);
}

void StreamSlot::TouchCurrent() {
  if (current_ != nullptr) current_->gate_->Touch(current_->id_);
}

StreamGate::StreamGate(int total, int per_caller, std::chrono::milliseconds idle)
    : total_(total), per_caller_(per_caller), idle_(idle), watchdog_([this] { Watch(); }) {}

StreamGate::~StreamGate() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  watchdog_.join();
}

absl::StatusOr<std::unique_ptr<StreamSlot>> StreamGate::Open(const std::string& principal,
                                                             grpc::ServerContext* ctx) {
  std::lock_guard<std::mutex> lock(mu_);
  if (static_cast<int>(open_.size()) >= total_) {
    return WithReason(absl::ResourceExhaustedError(absl::StrCat(
                          "the hub serves at most ", total_, " streams at once; retry later")),
                      "TOO_MANY_STREAMS");
  }
  int& mine = per_principal_[principal];
  if (mine >= per_caller_) {
    return WithReason(absl::ResourceExhaustedError(absl::StrCat(
                          "at most ", per_caller_, " open streams per caller; finish one first")),
                      "TOO_MANY_STREAMS_PER_CALLER");
  }
  ++mine;
  const uint64_t id = next_id_++;
  open_[id] = Entry{principal, ctx, std::chrono::steady_clock::now()};
  return std::unique_ptr<StreamSlot>(new StreamSlot(this, id));
}

void StreamGate::Touch(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(id);
  if (it != open_.end()) it->second.last = std::chrono::steady_clock::now();
}

void StreamGate::Close(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(id);
  if (it == open_.end()) return;
  if (--per_principal_[it->second.principal] == 0) per_principal_.erase(it->second.principal);
  open_.erase(it);
}

void StreamGate::Watch() {
  const auto period = std::max(std::chrono::milliseconds(50), idle_ / 4);
  auto trimmed = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_cv_.wait_for(lock, period, [this] { return stop_; })) {
    const auto now = std::chrono::steady_clock::now();
    // Large requests leave glibc's arenas holding freed memory: give it
    // back every 10 s, so a burst of big calls does not stay resident.
    if (now - trimmed > std::chrono::seconds(10)) {
      lock.unlock();
      malloc_trim(0);
      lock.lock();
      trimmed = now;
    }
    for (auto& [id, e] : open_) {
      // The context lives while its slot is open: Close takes this lock.
      if (!e.cancelled && now - e.last > idle_) {
        e.cancelled = true;
        e.ctx->TryCancel();
      }
    }
  }
}

}  // namespace batteryhub
