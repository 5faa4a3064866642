#include "core/memory/vector_cache.hpp"

namespace companion::core {

std::shared_ptr<UserVectors> VectorCache::get(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(user_id);
  if (found == entries_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, found->second.position);
  return found->second.vectors;
}

void VectorCache::put(std::int64_t user_id, std::shared_ptr<UserVectors> vectors) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(user_id);
  if (found != entries_.end()) {
    found->second.vectors = std::move(vectors);
    recency_.splice(recency_.begin(), recency_, found->second.position);
  } else {
    recency_.push_front(user_id);
    entries_.emplace(user_id, Entry{std::move(vectors), recency_.begin()});
  }
  trim_locked();
}

void VectorCache::drop(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(user_id);
  if (found == entries_.end()) return;
  recency_.erase(found->second.position);
  entries_.erase(found);
}

void VectorCache::trim() {
  std::lock_guard lock(mutex_);
  trim_locked();
}

std::size_t VectorCache::users() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void VectorCache::trim_locked() {
  std::size_t total = 0;
  for (const auto& [id, entry] : entries_) total += entry.vectors->bytes();
  while (total > max_bytes_ && recency_.size() > 1) {
    auto oldest = recency_.back();
    auto found = entries_.find(oldest);
    total -= found->second.vectors->bytes();
    entries_.erase(found);
    recency_.pop_back();
  }
}

}  // namespace companion::core
