#pragma once
// The in-process rate limiter: token buckets in sharded maps, one mutex per shard, so that
// requests of different clients rarely meet on a lock. Memory is bounded: buckets that have
// refilled to full are equivalent to absent ones and are swept, and a shard at its bound
// drops its longest-idle buckets first.
#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/ratelimit/rate_limiter.hpp"
#include "core/ratelimit/token_bucket.hpp"

namespace companion::store {

class MemoryRateLimiter final : public core::RateLimiter {
 public:
  struct Options {
    std::size_t max_keys = 100000;  // across all shards
    std::chrono::seconds sweep_interval{60};
  };

  MemoryRateLimiter() : MemoryRateLimiter(Options{}) {}
  explicit MemoryRateLimiter(Options options);

  core::RateDecision consume(std::string_view key, const core::RateRule& rule,
                             core::WallClock::time_point now) override;

  // Forgets every bucket that is full at `now`. Runs by itself on each shard once per
  // sweep interval; a maintenance timer may call it too.
  void evict_idle(core::WallClock::time_point now);
  // Buckets currently held (for tests and metrics).
  std::size_t size() const;

 private:
  static constexpr std::size_t shard_count = 32;

  struct Entry {
    core::TokenBucket bucket;
    core::RateRule rule;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> buckets;
    core::WallClock::time_point last_sweep{};
  };

  Shard& shard_for(std::string_view key);
  // Both run with the shard's mutex held.
  void sweep_full(Shard& shard, core::WallClock::time_point now);
  void make_room(Shard& shard, core::WallClock::time_point now);

  Options options_;
  std::size_t keys_per_shard_;
  std::array<Shard, shard_count> shards_;
};

}  // namespace companion::store
