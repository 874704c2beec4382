#include <gtest/gtest.h>

#include "meteo/store/ledger.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

TEST(SourceLock, IsExclusiveAcrossConnectionsUntilDestroyed) {
  auto scratch = ScratchDatabase::migrated();
  auto first = scratch.connect();
  auto second = scratch.connect();
  {
    auto lock = SourceLock::try_acquire(first, "sensors");
    ASSERT_TRUE(lock.has_value());
    EXPECT_FALSE(SourceLock::try_acquire(second, "sensors").has_value());
    EXPECT_TRUE(SourceLock::try_acquire(second, "other-source").has_value());
  }
  EXPECT_TRUE(SourceLock::try_acquire(second, "sensors").has_value());
}

TEST(SourceLock, NamesIncludeTheDatabase) {
  // Tests share one server: the same source in two databases must not collide.
  auto one = ScratchDatabase::migrated();
  auto two = ScratchDatabase::migrated();
  auto db_one = one.connect();
  auto db_two = two.connect();
  auto lock_one = SourceLock::try_acquire(db_one, "sensors");
  auto lock_two = SourceLock::try_acquire(db_two, "sensors");
  EXPECT_TRUE(lock_one.has_value());
  EXPECT_TRUE(lock_two.has_value());
}

TEST(SourceLock, AMovedLockIsReleasedOnceByItsNewOwner) {
  auto scratch = ScratchDatabase::migrated();
  auto first = scratch.connect();
  auto second = scratch.connect();
  auto lock = SourceLock::try_acquire(first, "sensors");
  ASSERT_TRUE(lock.has_value());
  {
    SourceLock moved(std::move(*lock));
    lock.reset();  // the moved-from lock releases nothing
    EXPECT_FALSE(SourceLock::try_acquire(second, "sensors").has_value());
  }
  EXPECT_TRUE(SourceLock::try_acquire(second, "sensors").has_value());
}

TEST(SourceLock, LongSourceNamesStillLockExclusively) {
  // GET_LOCK names are limited to 64 characters on MySQL: long ones are hashed.
  auto scratch = ScratchDatabase::migrated();
  auto first = scratch.connect();
  auto second = scratch.connect();
  const std::string source(100, 's');
  auto lock = SourceLock::try_acquire(first, source);
  ASSERT_TRUE(lock.has_value());
  EXPECT_FALSE(SourceLock::try_acquire(second, source).has_value());
  EXPECT_TRUE(SourceLock::try_acquire(second, std::string(99, 's')).has_value());
}

}  // namespace
}  // namespace meteo::testing
