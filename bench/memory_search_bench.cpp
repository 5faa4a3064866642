// Hybrid memory search (BM25 + exact vector scan + fusion + recall bookkeeping) over one
// user's memories, with the built-in WordNet embedder and SQLite in a temporary folder.
// Reports the latency distribution of single searches: p50 and p99 in milliseconds.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/memory/memory_service.hpp"
#include "providers/embed/local_embedder.hpp"
#include "providers/embed/wordnet_lexicon.hpp"
#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/memory_repository.hpp"
#include "store/sqlite/migrations.hpp"

using namespace companion;

namespace {

const std::vector<std::string> subjects = {"my sister",  "the kayak", "a jazz record", "my job",
                                           "the garden", "our dog",   "the trip",      "a novel",
                                           "the piano",  "my boss",   "the marathon",  "a recipe",
                                           "the flat",   "my cousin", "the project",   "a concert"};
const std::vector<std::string> verbs = {"loves",   "mentioned", "bought", "finished",
                                        "planned", "visited",   "cooked", "painted"};
const std::vector<std::string> places = {"in Lyon",     "at work",       "on Sunday",
                                         "last summer", "near the lake", "with friends",
                                         "in the city", "after dinner"};
const std::vector<std::string> queries = {"what boat do I have",   "when is my birthday",
                                          "what music do I like",  "where does my sister live",
                                          "what did I cook",       "tell me about my job",
                                          "plans for the weekend", "which books did I read"};

struct Corpus {
  std::filesystem::path dir;
  std::shared_ptr<store::sqlite::Database> db;
  std::shared_ptr<core::MemoryService> memory;
  std::int64_t user = 0;
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
  std::mt19937 rng(42);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  for (std::size_t i = 0; i < size; ++i) {
    core::NewMemory m;
    m.user_id = c.user;
    m.content = "User " + pick(verbs) + " " + pick(subjects) + " " + pick(places) + " (note " +
                std::to_string(i) + ")";
    m.importance = static_cast<double>(rng() % 100) / 100.0;
    m.tier = core::MemoryTier::Permanent;  // no sealing: measures the searchable path
    c.memory->save(m);
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
    auto hits = c.memory->search(c.user, {queries[q++ % queries.size()], 10, {}});
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
