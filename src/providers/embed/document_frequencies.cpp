#include "providers/embed/document_frequencies.hpp"

#include <algorithm>
#include <cmath>

#include "core/embedding/stable_hash.hpp"

namespace companion::providers::embed {

DocumentFrequencies::DocumentFrequencies(std::size_t slots)
    : counts_(std::max<std::size_t>(slots, 1)) {}

std::size_t DocumentFrequencies::slot_of(std::uint64_t feature) const {
  // Re-mixed so that the slot does not follow the vector bucket (feature % dimension).
  return core::mix64(feature ^ 0x9e3779b97f4a7c15ull) % counts_.size();
}

void DocumentFrequencies::add_document(const std::vector<std::uint64_t>& features) {
  std::vector<std::size_t> slots;
  slots.reserve(features.size());
  for (auto f : features) slots.push_back(slot_of(f));
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  for (auto s : slots) counts_[s].fetch_add(1, std::memory_order_relaxed);
  documents_.fetch_add(1, std::memory_order_relaxed);
}

float DocumentFrequencies::idf(std::uint64_t feature) const {
  double n = static_cast<double>(documents());
  double df = counts_[slot_of(feature)].load(std::memory_order_relaxed);
  return static_cast<float>(std::log((1.0 + n) / (1.0 + std::min(df, n))) + 1.0);
}

}  // namespace companion::providers::embed
