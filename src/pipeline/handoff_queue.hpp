// Hands items from one producing thread to one consuming thread, holding at most `capacity`, so
// the producer runs ahead of the consumer by a bounded amount of memory. Either side can end it:
// the producer by finishing or failing, the consumer by cancelling.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>

namespace meteo::pipeline {

template <class Item>
class HandoffQueue {
 public:
  explicit HandoffQueue(std::size_t capacity) : capacity_(capacity) {}

  // Waits for room. False when the consumer has cancelled: the producer should stop.
  bool push(Item&& item) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return cancelled_ || items_.size() < capacity_; });
    if (cancelled_) return false;
    items_.push_back(std::move(item));
    ready_.notify_one();
    return true;
  }

  // The producer is done; `failure` (when set) is rethrown to the consumer after the items.
  void finish(std::exception_ptr failure = nullptr) {
    std::lock_guard lock(mutex_);
    finished_ = true;
    failure_ = failure;
    ready_.notify_one();
  }

  // The next item; nullopt once the producer finished and everything was taken.
  std::optional<Item> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return finished_ || !items_.empty(); });
    if (items_.empty()) {
      if (failure_) std::rethrow_exception(failure_);
      return std::nullopt;
    }
    Item item = std::move(items_.front());
    items_.pop_front();
    room_.notify_one();
    return item;
  }

  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    items_.clear();
    room_.notify_one();
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable room_, ready_;
  std::deque<Item> items_;
  bool finished_ = false, cancelled_ = false;
  std::exception_ptr failure_;
};

}  // namespace meteo::pipeline
