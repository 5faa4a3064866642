#pragma once
// Users' vectors kept in memory between searches, least recently used evicted first once
// their total size passes the bound, so a search is a scan of memory rather than a read of
// the user's whole vector table, and memory use stays bounded however many users there are.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/memory/user_vectors.hpp"

namespace companion::core {

class VectorCache {
 public:
  explicit VectorCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The user's vectors when cached (marking them recently used), else null.
  std::shared_ptr<UserVectors> get(std::int64_t user_id);
  // Caches the user's vectors and evicts older users past the bound (never the newest).
  void put(std::int64_t user_id, std::shared_ptr<UserVectors> vectors);
  void drop(std::int64_t user_id);
  // Re-applies the bound after cached vectors grew.
  void trim();
  std::size_t users() const;

 private:
  void trim_locked();

  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<std::int64_t> recency_;  // most recent first
  struct Entry {
    std::shared_ptr<UserVectors> vectors;
    std::list<std::int64_t>::iterator position;
  };
  std::unordered_map<std::int64_t, Entry> entries_;
};

}  // namespace companion::core
