// Throughput of the built-in embedder on 100-word texts: with a warm lexicon cache (the
// steady state of a running server), with every word looked up in WordNet afresh (first
// use), and without WordNet; and the content cache in front of it.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/embedding/cached_embedder.hpp"
#include "providers/embed/local_embedder.hpp"
#include "providers/embed/wordnet_lexicon.hpp"

namespace {

using companion::providers::embed::LocalEmbedder;
using companion::providers::embed::WordNetLexicon;
using companion::providers::embed::WordNetOptions;

const std::vector<std::string> kVocabulary = {
    "kayak",    "lake",    "morning",  "birthday", "sister",  "coffee",      "garden",   "running",
    "shoes",    "bought",  "weekend",  "mountain", "travel",  "friends",     "dinner",   "cooking",
    "guitar",   "lessons", "reading",  "novel",    "doctor",  "appointment", "meeting",  "project",
    "deadline", "holiday", "beach",    "swimming", "dog",     "walked",      "park",     "rain",
    "music",    "concert", "tickets",  "flight",   "hotel",   "museum",      "painting", "children",
    "school",   "teacher", "homework", "exam",     "nervous", "happy",       "tired",    "excited"};

// Deterministic 100-word texts with a realistic mix of function and content words.
std::vector<std::string> make_texts(std::size_t count) {
  const std::vector<std::string> glue = {"the", "a", "and", "I", "my", "was", "to", "with"};
  std::vector<std::string> texts;
  std::uint64_t state = 42;
  for (std::size_t t = 0; t < count; ++t) {
    std::string text;
    for (int w = 0; w < 100; ++w) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      auto r = state >> 33;
      const auto& word = (r % 3 == 0) ? glue[r % glue.size()] : kVocabulary[r % kVocabulary.size()];
      text += word;
      text += w % 12 == 11 ? ". " : " ";
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

std::shared_ptr<WordNetLexicon> warm_lexicon() {
  static auto lexicon = std::make_shared<WordNetLexicon>();
  return lexicon;
}

void BM_LocalEmbedWarmLexicon(benchmark::State& state) {
  LocalEmbedder embedder(warm_lexicon());
  auto texts = make_texts(64);
  embedder.embed(texts);  // fills the lexicon cache
  for (auto _ : state) benchmark::DoNotOptimize(embedder.embed(texts));
  state.SetItemsProcessed(state.iterations() * texts.size());
  state.SetLabel(embedder.model().model);
}
BENCHMARK(BM_LocalEmbedWarmLexicon)->Unit(benchmark::kMillisecond);

void BM_LocalEmbedColdLexicon(benchmark::State& state) {
  auto texts = make_texts(64);
  for (auto _ : state) {
    state.PauseTiming();
    WordNetOptions options;
    options.cache_capacity = 1;  // every word goes to WordNet
    LocalEmbedder embedder(std::make_shared<WordNetLexicon>(options));
    state.ResumeTiming();
    benchmark::DoNotOptimize(embedder.embed(texts));
  }
  state.SetItemsProcessed(state.iterations() * texts.size());
}
BENCHMARK(BM_LocalEmbedColdLexicon)->Unit(benchmark::kMillisecond);

void BM_LocalEmbedWithoutLexicon(benchmark::State& state) {
  LocalEmbedder embedder(nullptr);
  auto texts = make_texts(64);
  for (auto _ : state) benchmark::DoNotOptimize(embedder.embed(texts));
  state.SetItemsProcessed(state.iterations() * texts.size());
}
BENCHMARK(BM_LocalEmbedWithoutLexicon)->Unit(benchmark::kMillisecond);

void BM_CachedEmbedHit(benchmark::State& state) {
  auto inner = std::make_shared<LocalEmbedder>(warm_lexicon());
  companion::core::CachedEmbedder cached(inner, 1024);
  auto texts = make_texts(64);
  cached.embed(texts);
  for (auto _ : state) benchmark::DoNotOptimize(cached.embed(texts));
  state.SetItemsProcessed(state.iterations() * texts.size());
}
BENCHMARK(BM_CachedEmbedHit)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
