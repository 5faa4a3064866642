#pragma once
// How many indexed documents contain each feature, for IDF weighting: a word found in
// every memory ("user") says little about which memory a question is after, a rare one
// ("kayak") says a lot. Counts live in a fixed table of atomic counters addressed by the
// feature hash, so memory stays bounded however large the vocabulary grows and updates
// from many threads need no lock. Features that share a slot share a count; with a
// million slots that blurs only the rarest words' weights.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace companion::providers::embed {

class DocumentFrequencies {
 public:
  explicit DocumentFrequencies(std::size_t slots = std::size_t{1} << 20);

  // `features`: the feature hashes of one document; repeats count once.
  void add_document(const std::vector<std::uint64_t>& features);
  // Smoothed inverse document frequency, ln((1 + N) / (1 + df)) + 1: exactly 1 before any
  // document is seen, so an empty corpus weighs every feature alike.
  float idf(std::uint64_t feature) const;
  std::uint64_t documents() const { return documents_.load(std::memory_order_relaxed); }

 private:
  std::size_t slot_of(std::uint64_t feature) const;
  std::vector<std::atomic<std::uint32_t>> counts_;
  std::atomic<std::uint64_t> documents_{0};
};

}  // namespace companion::providers::embed
