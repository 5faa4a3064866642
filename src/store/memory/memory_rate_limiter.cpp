#include "store/memory/memory_rate_limiter.hpp"

#include <algorithm>
#include <vector>

namespace companion::store {

MemoryRateLimiter::MemoryRateLimiter(Options options)
    : options_(options),
      keys_per_shard_(std::max<std::size_t>(1, options.max_keys / shard_count)) {}

MemoryRateLimiter::Shard& MemoryRateLimiter::shard_for(std::string_view key) {
  // The map hashes the key again; mixing the high bits keeps shard choice and bucket
  // choice from correlating.
  std::size_t h = std::hash<std::string_view>{}(key);
  return shards_[(h ^ (h >> 17)) % shard_count];
}

core::RateDecision MemoryRateLimiter::consume(std::string_view key, const core::RateRule& rule,
                                              core::WallClock::time_point now) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  if (now - shard.last_sweep >= options_.sweep_interval) sweep_full(shard, now);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= keys_per_shard_) make_room(shard, now);
    it = shard.buckets.emplace(std::string(key), Entry{core::TokenBucket::full(rule, now), rule})
             .first;
  }
  it->second.rule = rule;
  return it->second.bucket.consume(rule, now);
}

void MemoryRateLimiter::sweep_full(Shard& shard, core::WallClock::time_point now) {
  shard.last_sweep = now;
  std::erase_if(shard.buckets,
                [now](const auto& kv) { return kv.second.bucket.is_full_at(kv.second.rule, now); });
}

// Called when a shard is at its bound. Full buckets go first (forgetting them changes
// nothing); when every bucket is in use, the eighth that has been idle longest goes: those
// clients start again with a full bucket, which is lenient but keeps memory bounded.
void MemoryRateLimiter::make_room(Shard& shard, core::WallClock::time_point now) {
  sweep_full(shard, now);
  if (shard.buckets.size() < keys_per_shard_) return;
  std::vector<core::WallClock::time_point> idle_since;
  idle_since.reserve(shard.buckets.size());
  for (const auto& [key, entry] : shard.buckets) idle_since.push_back(entry.bucket.updated);
  std::size_t evict = std::max<std::size_t>(1, shard.buckets.size() / 8);
  std::nth_element(idle_since.begin(), idle_since.begin() + (evict - 1), idle_since.end());
  const auto cutoff = idle_since[evict - 1];
  std::size_t removed = 0;
  for (auto it = shard.buckets.begin(); it != shard.buckets.end() && removed < evict;) {
    if (it->second.bucket.updated <= cutoff) {
      it = shard.buckets.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
}

void MemoryRateLimiter::evict_idle(core::WallClock::time_point now) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    sweep_full(shard, now);
  }
}

std::size_t MemoryRateLimiter::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.buckets.size();
  }
  return total;
}

}  // namespace companion::store
