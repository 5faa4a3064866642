// Hybrid memory search (BM25 + vectors + fusion; recall bookkeeping in the background)
// over one user's 10k generated memories (bench/memory_corpus.hpp), with the built-in
// WordNet embedder and SQLite in a temporary folder. Reports the latency distribution of
// single searches: p50 and p99 in milliseconds. memory_scale_bench covers 100k memories,
// the HNSW graph, 1M memories across 1,000 users and the build and load times.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/memory/memory_service.hpp"
#include "memory_corpus.hpp"
#include "providers/embed/local_embedder.hpp"
#include "providers/embed/wordnet_lexicon.hpp"
#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/memory_repository.hpp"
#include "store/sqlite/migrations.hpp"

using namespace companion;

namespace {

struct Corpus {
  std::filesystem::path dir;
  std::shared_ptr<store::sqlite::Database> db;
  std::shared_ptr<core::MemoryService> memory;
  std::int64_t user = 0;
  std::vector<std::string> questions;
};

std::filesystem::path temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "memory-bench-XXXXXX").string();
  if (!mkdtemp(pattern.data())) std::abort();
  return pattern;
}

// One corpus per size, built once and kept for the process.
Corpus& corpus(std::size_t size) {
  static std::map<std::size_t, std::unique_ptr<Corpus>> built;
  auto& slot = built[size];
  if (slot) return *slot;
  slot = std::make_unique<Corpus>();
  auto& c = *slot;
  c.dir = temp_dir();
  c.db = std::make_shared<store::sqlite::Database>((c.dir / "bench.db").string());
  store::sqlite::migrate(*c.db);
  store::sqlite::SqliteUserRepository users(c.db);
  core::NewUser u;
  u.username = "bench";
  c.user = users.create(u, 0)->id;
  auto lexicon = std::make_shared<providers::embed::WordNetLexicon>();
  auto embedder = std::make_shared<providers::embed::LocalEmbedder>(lexicon);
  core::MemoryPorts ports;
  ports.repository = std::make_shared<store::sqlite::SqliteMemoryRepository>(c.db);
  ports.embedder = embedder;
  ports.corpus = embedder;
  c.memory =
      std::make_shared<core::MemoryService>(std::move(ports), core::ContentCipher("bench-key"));
  // Stored in one transaction per 2000 (an import), embedded in batches; the questions
  // each target one stored fact.
  bench::MemoryCorpus generator(42);
  std::vector<core::NewMemory> batch;
  for (std::size_t i = 0; i < size; ++i) {
    auto g = generator.next();
    if (i % (size / 200 + 1) == 0) c.questions.push_back(g.question);
    core::NewMemory m;
    m.user_id = c.user;
    m.content = g.content;
    m.category = g.category;
    m.importance = g.importance;
    m.tier = core::MemoryTier::Permanent;  // no sealing: measures the searchable path
    batch.push_back(std::move(m));
    if (batch.size() == 2000 || i + 1 == size) {
      c.memory->save_many(batch);
      batch.clear();
    }
  }
  return c;
}

void BM_MemorySearch(benchmark::State& state) {
  auto& c = corpus(static_cast<std::size_t>(state.range(0)));
  c.memory->search(c.user, {"warm up the vector cache", 10, {}});
  std::vector<double> ms;
  std::size_t q = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto hits = c.memory->search(c.user, {c.questions[q++ % c.questions.size()], 10, {}});
    benchmark::DoNotOptimize(hits);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) { return ms[static_cast<std::size_t>(p * (ms.size() - 1))]; };
  state.counters["p50_ms"] = at(0.50);
  state.counters["p99_ms"] = at(0.99);
  state.counters["memories"] = static_cast<double>(state.range(0));
}

BENCHMARK(BM_MemorySearch)->Arg(10000)->Iterations(400)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
