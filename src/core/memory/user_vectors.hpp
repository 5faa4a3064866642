#pragma once
// One user's memory vectors in memory, laid out flat for an exact scan: the query is
// compared with every vector of the user (filters applied on the way), which at the sizes
// one person's memories reach is both exact and fast. Readers share, writers exclude.
#include <cstdint>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/memory/memory_repository.hpp"

namespace companion::core {

struct VectorMatch {
  std::int64_t row_id = 0;
  double similarity = 0;  // cosine (vectors are L2-normalised)
};

class UserVectors {
 public:
  UserVectors(std::string space_id, std::size_t dimension)
      : space_id_(std::move(space_id)), dimension_(dimension) {}

  const std::string& space_id() const { return space_id_; }
  std::size_t dimension() const { return dimension_; }

  // Adds or replaces a row's vector; vectors of another dimension are ignored.
  void upsert(std::int64_t row_id, MemoryTier tier, const std::string& category,
              std::span<const float> values);
  void remove(std::int64_t row_id);
  void set_tier(std::int64_t row_id, MemoryTier tier);

  // The `limit` most similar rows that pass the filter, best first.
  std::vector<VectorMatch> nearest(std::span<const float> query, const MemoryFilter& filter,
                                   std::size_t limit) const;
  // Similarity of the query with one row's vector, if the row has one.
  std::optional<double> similarity(std::span<const float> query, std::int64_t row_id) const;

  std::size_t size() const;
  // What the arrays hold (the cache's bound is counted in these bytes).
  std::size_t bytes() const;

 private:
  double dot(std::span<const float> query, std::size_t index) const;

  std::string space_id_;
  std::size_t dimension_;
  mutable std::shared_mutex mutex_;
  std::vector<std::int64_t> ids_;
  std::vector<MemoryTier> tiers_;
  std::vector<std::string> categories_;
  std::vector<float> data_;  // ids_.size() × dimension_
  std::unordered_map<std::int64_t, std::size_t> index_of_;
};

}  // namespace companion::core
