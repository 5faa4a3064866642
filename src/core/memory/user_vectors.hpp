#pragma once
// One user's memory vectors in memory, with each row's filterable fields (tier, category),
// searched one of two ways:
//  - flat, for the sizes one person's memories usually reach: every vector is compared
//    with the query, first on int8 codes (a quarter of the bytes to read), then the best
//    candidates again on the float values, so the answer is that of an exact scan;
//  - graph, once the set passes a threshold: an HNSW index answers in a few hundred
//    comparisons whatever the size.
// The switch happens off the search path: begin_graph() hands out a copy of the vectors,
// the graph is built from it without any lock, and adopt_graph() applies what changed in
// the meantime and swaps it in. Readers share, writers exclude.
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/memory/hnsw_index.hpp"
#include "core/memory/memory_repository.hpp"
#include "core/memory/vector_match.hpp"

namespace companion::core {

class UserVectors {
 public:
  UserVectors(std::string space_id, std::size_t dimension)
      : space_id_(std::move(space_id)), dimension_(dimension) {}
  // A user whose vectors come as an index read from its file: only the rows' fields are
  // needed besides (vector values of `rows` are ignored).
  UserVectors(std::string space_id, std::unique_ptr<HnswIndex> graph,
              const std::vector<StoredVector>& rows);

  const std::string& space_id() const { return space_id_; }
  std::size_t dimension() const { return dimension_; }

  // Room for `rows` vectors, so a load does not copy its arrays as they grow.
  void reserve(std::size_t rows);
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
  // What the arrays and the graph hold (the cache's bound is counted in these bytes).
  std::size_t bytes() const;

  // ---- the graph -------------------------------------------------------------------------
  struct Snapshot {
    std::vector<std::int64_t> rows;
    std::vector<float> values;  // rows.size() × dimension
  };
  bool has_graph() const;
  // Flat, not already being indexed, and at least `threshold` rows.
  bool wants_graph(std::size_t threshold) const;
  // A copy of the flat vectors to build a graph from; changes from now on are remembered.
  Snapshot begin_graph();
  // Brings the graph built from the snapshot up to date and searches it from now on.
  void adopt_graph(std::unique_ptr<HnswIndex> graph);
  void abandon_graph();
  // Whether the graph changed since it was built, loaded or last marked saved.
  bool graph_changed() const;
  // Runs save(graph) under the shared lock, so no change lands halfway; marks it saved.
  template <class Save>
  void save_graph(Save&& save) {
    std::shared_lock lock(mutex_);
    if (!graph_) return;
    save(static_cast<const HnswIndex&>(*graph_));
    graph_changed_ = false;
  }

 private:
  struct Candidate {
    float score;
    std::uint32_t slot;
  };
  // The slot's row passes the filter; category == npos means the filter's category is
  // not one this user has.
  bool passes(std::size_t slot, const MemoryFilter& filter, std::uint32_t category) const;
  std::uint32_t category_id(const std::string& name);
  std::uint32_t find_category(const MemoryFilter& filter) const;
  void set_values(std::size_t slot, std::span<const float> values);
  void note_change(std::int64_t row_id);
  std::vector<VectorMatch> scan_flat(std::span<const float> query, const MemoryFilter& filter,
                                     std::size_t limit) const;
  std::vector<VectorMatch> search_graph(std::span<const float> query, const MemoryFilter& filter,
                                        std::size_t limit) const;

  static constexpr std::uint32_t no_category = ~std::uint32_t{0};

  std::string space_id_;
  std::size_t dimension_;
  mutable std::shared_mutex mutex_;
  // One slot per row with a vector, in both modes.
  std::vector<std::int64_t> ids_;
  std::vector<MemoryTier> tiers_;
  std::vector<std::uint32_t> categories_;
  std::unordered_map<std::int64_t, std::size_t> index_of_;
  std::vector<std::string> category_names_;
  std::unordered_map<std::string, std::uint32_t> category_ids_;
  // Flat mode: slots × dimension floats, their int8 codes and one scale per slot.
  std::vector<float> values_;
  std::vector<std::int8_t> codes_;
  std::vector<float> scales_;
  // Graph mode.
  std::unique_ptr<HnswIndex> graph_;
  bool graph_changed_ = false;
  bool building_ = false;
  std::vector<std::int64_t> changed_while_building_;
};

}  // namespace companion::core
