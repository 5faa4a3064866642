#pragma once
// Users' search indexes kept in memory between searches, least recently used evicted first
// once their total size passes the bound, so a search reads memory rather than the user's
// whole vector table, and memory use stays bounded however many users there are.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/memory/user_index.hpp"

namespace companion::core {

class IndexCache {
 public:
  using Entry = std::pair<std::int64_t, std::shared_ptr<const UserIndex>>;

  explicit IndexCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The user's index when cached (marking it recently used), else null.
  std::shared_ptr<const UserIndex> get(std::int64_t user_id);
  // Whether `vectors` are those of the user's cached index (without marking it used).
  bool holds(std::int64_t user_id, const std::shared_ptr<UserVectors>& vectors) const;
  // Caches the user's index and evicts older users past the bound (never the newest);
  // returns the evicted ones.
  std::vector<Entry> put(std::int64_t user_id, std::shared_ptr<const UserIndex> index);
  // Re-applies the bound after cached indexes grew; returns the evicted ones.
  std::vector<Entry> trim();
  std::vector<Entry> entries() const;
  std::size_t users() const;

 private:
  std::vector<Entry> trim_locked();

  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<std::int64_t> recency_;  // most recent first
  struct Slot {
    std::shared_ptr<const UserIndex> index;
    std::list<std::int64_t>::iterator position;
  };
  std::unordered_map<std::int64_t, Slot> slots_;
};

}  // namespace companion::core
