#pragma once
// Reciprocal rank fusion (Cormack, Clarke & Büttcher, 2009): each ranking contributes
// 1 / (k + rank) to an item, so an item near the top of either list ranks high without the
// lists' scores (BM25 and cosine, on different scales) ever being compared.
#include <cstdint>
#include <vector>

namespace companion::core {

struct FusedItem {
  std::int64_t id = 0;
  double score = 0;
};

// k = 60 is the value of the paper, which found it robust across collections.
inline constexpr double default_rrf_k = 60.0;

// Rankings are best first; the answer is ordered by fused score, best first (ties keep the
// order of first appearance).
std::vector<FusedItem> reciprocal_rank_fusion(
    const std::vector<std::vector<std::int64_t>>& rankings, double k = default_rrf_k);

}  // namespace companion::core
