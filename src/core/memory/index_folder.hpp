#pragma once
// Where users' vector indexes are kept between runs: <folder>/memory-<user>.hnsw and, next
// to it, a stamp naming the vector space, the dimension and the store's revision of the
// user's vectors that the index holds. An index is used only when its stamp matches the
// store; otherwise it is rebuilt from the stored vectors. The stamp is removed before the
// index is rewritten and written (atomically) after it, so a crash in between leaves no
// stamp and the index is rebuilt rather than trusted.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/memory/hnsw_index.hpp"

namespace companion::core {

struct IndexStamp {
  std::string space_id;
  std::size_t dimension = 0;
  std::int64_t revision = 0;

  bool operator==(const IndexStamp&) const = default;
};

class IndexFolder {
 public:
  // An empty folder keeps nothing: indexes live in memory only.
  explicit IndexFolder(std::filesystem::path folder) : folder_(std::move(folder)) {}

  bool keeps_indexes() const { return !folder_.empty(); }
  // The user's saved index when its stamp is `current`; null otherwise.
  std::unique_ptr<HnswIndex> load(std::int64_t user_id, const IndexStamp& current,
                                  HnswParams params) const;
  // Throws std::runtime_error (or std::filesystem::filesystem_error) when it cannot write.
  void save(std::int64_t user_id, const HnswIndex& index, const IndexStamp& stamp) const;

  std::filesystem::path index_file(std::int64_t user_id) const;
  std::filesystem::path stamp_file(std::int64_t user_id) const;

 private:
  std::filesystem::path folder_;
};

}  // namespace companion::core
