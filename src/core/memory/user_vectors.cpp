#include "core/memory/user_vectors.hpp"

#include <algorithm>
#include <mutex>

namespace companion::core {

void UserVectors::upsert(std::int64_t row_id, MemoryTier tier, const std::string& category,
                         std::span<const float> values) {
  if (values.size() != dimension_) return;
  std::unique_lock lock(mutex_);
  auto found = index_of_.find(row_id);
  std::size_t i;
  if (found == index_of_.end()) {
    i = ids_.size();
    ids_.push_back(row_id);
    tiers_.push_back(tier);
    categories_.push_back(category);
    data_.resize(data_.size() + dimension_);
    index_of_.emplace(row_id, i);
  } else {
    i = found->second;
    tiers_[i] = tier;
    categories_[i] = category;
  }
  std::copy(values.begin(), values.end(),
            data_.begin() + static_cast<std::ptrdiff_t>(i * dimension_));
}

void UserVectors::remove(std::int64_t row_id) {
  std::unique_lock lock(mutex_);
  auto found = index_of_.find(row_id);
  if (found == index_of_.end()) return;
  std::size_t i = found->second, last = ids_.size() - 1;
  index_of_.erase(found);
  // Swap-remove keeps the layout dense; the order of rows carries no meaning.
  if (i != last) {
    ids_[i] = ids_[last];
    tiers_[i] = tiers_[last];
    categories_[i] = std::move(categories_[last]);
    std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(last * dimension_), dimension_,
                data_.begin() + static_cast<std::ptrdiff_t>(i * dimension_));
    index_of_[ids_[i]] = i;
  }
  ids_.pop_back();
  tiers_.pop_back();
  categories_.pop_back();
  data_.resize(last * dimension_);
}

void UserVectors::set_tier(std::int64_t row_id, MemoryTier tier) {
  std::unique_lock lock(mutex_);
  if (auto found = index_of_.find(row_id); found != index_of_.end()) tiers_[found->second] = tier;
}

double UserVectors::dot(std::span<const float> query, std::size_t index) const {
  const float* v = data_.data() + index * dimension_;
  float sum = 0;
  for (std::size_t d = 0; d < dimension_; ++d) sum += v[d] * query[d];
  return sum;
}

std::vector<VectorMatch> UserVectors::nearest(std::span<const float> query,
                                              const MemoryFilter& filter, std::size_t limit) const {
  std::vector<VectorMatch> all;
  if (query.size() != dimension_ || limit == 0) return all;
  std::shared_lock lock(mutex_);
  all.reserve(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (filter.tier && tiers_[i] != *filter.tier) continue;
    if (filter.category && categories_[i] != *filter.category) continue;
    all.push_back({ids_[i], dot(query, i)});
  }
  lock.unlock();
  auto better = [](const VectorMatch& a, const VectorMatch& b) {
    return a.similarity > b.similarity || (a.similarity == b.similarity && a.row_id > b.row_id);
  };
  if (all.size() > limit) {
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(limit), all.end(),
                     better);
    all.resize(limit);
  }
  std::sort(all.begin(), all.end(), better);
  return all;
}

std::optional<double> UserVectors::similarity(std::span<const float> query,
                                              std::int64_t row_id) const {
  if (query.size() != dimension_) return std::nullopt;
  std::shared_lock lock(mutex_);
  auto found = index_of_.find(row_id);
  if (found == index_of_.end()) return std::nullopt;
  return dot(query, found->second);
}

std::size_t UserVectors::size() const {
  std::shared_lock lock(mutex_);
  return ids_.size();
}

std::size_t UserVectors::bytes() const {
  std::shared_lock lock(mutex_);
  return data_.capacity() * sizeof(float) + ids_.capacity() * sizeof(std::int64_t) +
         tiers_.capacity() * sizeof(MemoryTier) + categories_.capacity() * sizeof(std::string) +
         index_of_.size() * sizeof(std::pair<const std::int64_t, std::size_t>);
}

}  // namespace companion::core
