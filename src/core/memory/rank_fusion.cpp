#include "core/memory/rank_fusion.hpp"

#include <algorithm>
#include <unordered_map>

namespace companion::core {

std::vector<FusedItem> reciprocal_rank_fusion(
    const std::vector<std::vector<std::int64_t>>& rankings, double k) {
  std::vector<FusedItem> fused;
  std::unordered_map<std::int64_t, std::size_t> position;
  for (const auto& ranking : rankings) {
    for (std::size_t rank = 0; rank < ranking.size(); ++rank) {
      auto [it, inserted] = position.try_emplace(ranking[rank], fused.size());
      if (inserted) fused.push_back({ranking[rank], 0.0});
      fused[it->second].score += 1.0 / (k + static_cast<double>(rank + 1));
    }
  }
  std::stable_sort(fused.begin(), fused.end(),
                   [](const FusedItem& a, const FusedItem& b) { return a.score > b.score; });
  return fused;
}

}  // namespace companion::core
