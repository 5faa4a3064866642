#pragma once
// One answer of a vector search.
#include <cstdint>

namespace companion::core {

struct VectorMatch {
  std::int64_t row_id = 0;
  double similarity = 0;  // cosine (vectors are L2-normalised)
};

// Best first; equal similarities by row id, newest first, so answers are stable.
inline bool better_match(const VectorMatch& a, const VectorMatch& b) {
  return a.similarity > b.similarity || (a.similarity == b.similarity && a.row_id > b.row_id);
}

}  // namespace companion::core
