#include "core/memory/index_cache.hpp"

namespace companion::core {

std::shared_ptr<const UserIndex> IndexCache::get(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  auto found = slots_.find(user_id);
  if (found == slots_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, found->second.position);
  return found->second.index;
}

bool IndexCache::holds(std::int64_t user_id, const std::shared_ptr<UserVectors>& vectors) const {
  std::lock_guard lock(mutex_);
  auto found = slots_.find(user_id);
  return found != slots_.end() && found->second.index->vectors == vectors;
}

std::vector<IndexCache::Entry> IndexCache::put(std::int64_t user_id,
                                               std::shared_ptr<const UserIndex> index) {
  std::lock_guard lock(mutex_);
  auto found = slots_.find(user_id);
  if (found != slots_.end()) {
    found->second.index = std::move(index);
    recency_.splice(recency_.begin(), recency_, found->second.position);
  } else {
    recency_.push_front(user_id);
    slots_.emplace(user_id, Slot{std::move(index), recency_.begin()});
  }
  return trim_locked();
}

std::vector<IndexCache::Entry> IndexCache::trim() {
  std::lock_guard lock(mutex_);
  return trim_locked();
}

std::vector<IndexCache::Entry> IndexCache::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<Entry> out;
  for (const auto& [id, slot] : slots_) out.emplace_back(id, slot.index);
  return out;
}

std::size_t IndexCache::users() const {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

std::vector<IndexCache::Entry> IndexCache::trim_locked() {
  std::vector<Entry> evicted;
  std::size_t total = 0;
  for (const auto& [id, slot] : slots_) total += slot.index->bytes();
  while (total > max_bytes_ && recency_.size() > 1) {
    auto oldest = recency_.back();
    auto found = slots_.find(oldest);
    total -= found->second.index->bytes();
    evicted.emplace_back(oldest, std::move(found->second.index));
    slots_.erase(found);
    recency_.pop_back();
  }
  return evicted;
}

}  // namespace companion::core
