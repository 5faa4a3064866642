// Knowledge-base ingestion speed: text extraction plus chunking, for a generated 100-page
// PDF (pages/s) and for plain text (MB/s), and chunking alone.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/knowledge/chunker.hpp"
#include "media/documents/content_document_extractor.hpp"
#include "support/pdf_writer.hpp"

namespace {

using companion::core::chunk_pages;
using companion::media::ContentDocumentExtractor;

// Deterministic prose: sentences of 8–20 words from a small vocabulary.
std::string prose(std::size_t bytes, unsigned seed) {
  static const char* kWords[] = {"kettle",  "warranty", "water",  "lasts",   "months", "the",
                                 "service", "heater",   "clean",  "descale", "every",  "with",
                                 "vinegar", "boil",     "switch", "light",   "safety", "cord"};
  std::string text;
  unsigned state = seed;
  while (text.size() < bytes) {
    state = state * 1103515245u + 12345u;
    const unsigned words = 8 + (state >> 16) % 13;
    for (unsigned w = 0; w < words; ++w) {
      state = state * 1103515245u + 12345u;
      std::string word = kWords[(state >> 16) % 18];
      if (w == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
      text += word + (w + 1 == words ? ". " : " ");
    }
    state = state * 1103515245u + 12345u;
    if ((state >> 16) % 6 == 0) text += "\n\n";
  }
  return text;
}

void BM_ExtractAndChunkPdf100Pages(benchmark::State& state) {
  std::vector<std::string> pages;
  for (unsigned i = 0; i < 100; ++i) pages.push_back(prose(3000, i + 1));  // ~450 words a page
  const std::string pdf = companion::testing::make_pdf(pages);
  const ContentDocumentExtractor extractor;
  std::size_t chunks = 0;
  for (auto _ : state) {
    const auto result = extractor.extract(pdf, "manual.pdf");
    if (!result.ok()) state.SkipWithError(result.error().message.c_str());
    chunks = chunk_pages(result.document().pages).size();
    benchmark::DoNotOptimize(chunks);
  }
  state.counters["pages/s"] = benchmark::Counter(100.0 * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
  state.counters["chunks"] = static_cast<double>(chunks);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * pdf.size()));
}
BENCHMARK(BM_ExtractAndChunkPdf100Pages)->Unit(benchmark::kMillisecond);

void BM_ExtractAndChunkPlainText(benchmark::State& state) {
  const std::string text = prose(static_cast<std::size_t>(state.range(0)), 7);
  const ContentDocumentExtractor extractor;
  for (auto _ : state) {
    const auto result = extractor.extract(text, "notes.txt");
    if (!result.ok()) state.SkipWithError(result.error().message.c_str());
    benchmark::DoNotOptimize(chunk_pages(result.document().pages).size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ExtractAndChunkPlainText)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

void BM_ChunkOnly(benchmark::State& state) {
  const std::vector<companion::core::DocumentPage> pages = {{1, prose(1 << 20, 11)}};
  for (auto _ : state) benchmark::DoNotOptimize(chunk_pages(pages).size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * pages[0].text.size()));
}
BENCHMARK(BM_ChunkOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
