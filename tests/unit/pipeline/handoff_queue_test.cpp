// The queue between the sensor load's parser thread and its connection: order kept, memory
// bounded by the capacity, the producer's failure delivered after its items, a cancel that frees
// a producer waiting for room.
#include "../../../src/pipeline/handoff_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace meteo::pipeline {
namespace {

TEST(HandoffQueue, DeliversItemsInOrderThenEnds) {
  HandoffQueue<int> queue(2);
  std::thread producer([&] {
    for (int item = 0; item < 100; ++item) queue.push(int{item});
    queue.finish();
  });
  std::vector<int> taken;
  while (auto item = queue.pop()) taken.push_back(*item);
  producer.join();
  ASSERT_EQ(taken.size(), 100u);
  for (int item = 0; item < 100; ++item) EXPECT_EQ(taken[item], item);
}

TEST(HandoffQueue, NeverHoldsMoreThanItsCapacity) {
  constexpr std::size_t kCapacity = 3;
  HandoffQueue<int> queue(kCapacity);
  std::atomic<std::size_t> pushed{0};
  std::thread producer([&] {
    for (int item = 0; item < 50; ++item) {
      queue.push(int{item});
      ++pushed;
    }
    queue.finish();
  });
  // Whenever the consumer has taken `popped` items, the producer cannot have pushed more than
  // `capacity` beyond them: push waits for room.
  std::size_t popped = 0;
  while (queue.pop()) {
    ++popped;
    EXPECT_LE(pushed.load(), popped + kCapacity);
  }
  producer.join();
  EXPECT_EQ(popped, 50u);
}

TEST(HandoffQueue, RethrowsTheProducersFailureAfterItsItems) {
  HandoffQueue<int> queue(4);
  queue.push(1);
  queue.push(2);
  queue.finish(std::make_exception_ptr(std::runtime_error("payload truncated")));
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
  try {
    queue.pop();
    FAIL() << "the producer's failure was not rethrown";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "payload truncated");
  }
}

TEST(HandoffQueue, CancelReleasesAProducerWaitingForRoom) {
  HandoffQueue<int> queue(1);
  ASSERT_TRUE(queue.push(1));
  std::atomic<bool> accepted{true};
  std::thread producer([&] { accepted = queue.push(2); });  // waits: the queue is full
  queue.cancel();
  producer.join();
  EXPECT_FALSE(accepted.load());
  EXPECT_FALSE(queue.push(3));
}

}  // namespace
}  // namespace meteo::pipeline
