#pragma once
// An approximate nearest-neighbour index (HNSW: a navigable graph of the vectors, searched
// greedily from coarse layers to the full one) over one user's memory vectors, for sets too
// large to scan on every search. Inner product on L2-normalised vectors, i.e. cosine. Rows
// are addressed by their memory row id.
//
// Not synchronised: const calls may run concurrently with each other; add and remove need
// the caller's exclusive access (UserVectors holds that lock).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/memory/vector_match.hpp"

namespace companion::core {

struct HnswParams {
  std::size_t links = 16;             // graph degree (M); twice that on the full layer
  std::size_t ef_construction = 100;  // candidate list while linking a new vector
  std::size_t ef_search = 96;         // candidate list while searching (at least k)
};

class HnswIndex {
 public:
  HnswIndex(std::size_t dimension, HnswParams params, std::size_t capacity);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  // An index written by save(); null when the file is missing, unreadable, truncated or
  // holds vectors of another dimension.
  static std::unique_ptr<HnswIndex> load(const std::filesystem::path& file, std::size_t dimension,
                                         HnswParams params);
  // An index of rows[i] → values[i·dimension …], linked by `threads` threads at once; null
  // when `cancelled` turns true before it is done.
  static std::unique_ptr<HnswIndex> build(std::size_t dimension, HnswParams params,
                                          std::span<const std::int64_t> rows,
                                          std::span<const float> values, std::size_t threads,
                                          const std::atomic<bool>& cancelled);
  // Writes through a temporary file renamed over `file`, so a crash leaves the old file or
  // the new one, never half of one. Throws std::runtime_error when the write fails.
  void save(const std::filesystem::path& file) const;

  std::size_t dimension() const { return dimension_; }
  // Adds the row, or replaces its vector (reviving it when it was removed).
  void add(std::int64_t row_id, std::span<const float> values);
  // The row is never returned again (its node stays in the graph as a waypoint).
  void remove(std::int64_t row_id);
  bool contains(std::int64_t row_id) const;
  std::size_t size() const;     // rows that can be returned
  std::size_t removed() const;  // nodes kept only as waypoints
  std::size_t bytes() const;

  // The k most similar rows, best first (approximate).
  std::vector<VectorMatch> nearest(std::span<const float> query, std::size_t k) const;
  // The k most similar of the rows `accept` takes, best first, by comparing the query with
  // each of them (exact; for filters that leave few rows).
  std::vector<VectorMatch> scan(std::span<const float> query, std::size_t k,
                                const std::function<bool(std::int64_t)>& accept) const;
  std::optional<double> similarity(std::span<const float> query, std::int64_t row_id) const;

 private:
  struct Graph;
  HnswIndex(std::size_t dimension, HnswParams params);

  std::size_t dimension_;
  HnswParams params_;
  std::unique_ptr<Graph> graph_;
};

}  // namespace companion::core
