// Memory search at scale, through MemoryService::search — the path POST /api/memory/search
// takes, query embedding included — on SQLite with the built-in WordNet embedder.
//
//   memory_scale_bench --users 1 --per-user 10000
//   memory_scale_bench --users 1 --per-user 100000
//   memory_scale_bench --users 1000 --per-user 1000
//
// Generates the memories (templates and word lists, bench/memory_corpus.hpp) and stores
// them in big transactions, loads the vectors (building the HNSW graph above the
// threshold, then reading it back from its file after a restart), and reports search
// latency p50/p99 over a few hundred varied questions, each targeting one stored fact
// (recall@10 says how often that fact came back). With --data DIR the database is kept
// and reused by the next run of the same shape.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
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
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::size_t users = 1;
  std::size_t per_user = 10000;
  std::size_t queries = 300;
  std::size_t threshold = 20000;
  std::size_t cache_mb = 1024;
  std::size_t build_threads = 2;
  std::size_t batch = 2000;
  std::size_t rounds = 1;  // passes over the questions
  // On a reused database, skips showing the texts to the embedder's corpus statistics:
  // quicker, but queries are then weighted unlike the stored vectors (for profiling).
  bool skip_observe = false;
  std::string data;  // empty: a temporary folder, removed at the end
};

Options parse(int argc, char** argv) {
  Options o;
  const std::map<std::string, std::size_t*> numbers = {
      {"--users", &o.users},       {"--per-user", &o.per_user},
      {"--queries", &o.queries},   {"--threshold", &o.threshold},
      {"--cache-mb", &o.cache_mb}, {"--build-threads", &o.build_threads},
      {"--batch", &o.batch},       {"--rounds", &o.rounds}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (auto n = numbers.find(flag); n != numbers.end()) {
      *n->second = static_cast<std::size_t>(std::stoull(value));
    } else if (flag == "--data") {
      o.data = value;
    } else if (flag == "--skip-observe") {
      o.skip_observe = value == "1";
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return o;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of the calling thread: on a machine shared with other work, what a search
// itself costs, apart from the time it waited for a core.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Query {
  std::int64_t user = 0;
  std::string text;
  std::string target;  // the content the question is about
};

struct Percentiles {
  double p50 = 0, p99 = 0, mean = 0;
};

Percentiles percentiles(std::vector<double> ms) {
  Percentiles p;
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[static_cast<std::size_t>(q * (ms.size() - 1))]; };
  p.p50 = at(0.50);
  p.p99 = at(0.99);
  for (double x : ms) p.mean += x;
  p.mean /= static_cast<double>(ms.size());
  return p;
}

class Bench {
 public:
  explicit Bench(Options o) : o_(std::move(o)) {
    fresh_ =
        o_.data.empty() || !std::filesystem::exists(std::filesystem::path(o_.data) / "bench.db");
    if (o_.data.empty()) {
      dir_ =
          std::filesystem::temp_directory_path() / ("memory-scale-" + std::to_string(::getpid()));
      temporary_ = true;
    } else {
      dir_ = o_.data;
    }
    std::filesystem::create_directories(dir_);
    db_ = std::make_shared<store::sqlite::Database>((dir_ / "bench.db").string());
    store::sqlite::migrate(*db_);
    lexicon_ = std::make_shared<providers::embed::WordNetLexicon>();
    embedder_ = std::make_shared<providers::embed::LocalEmbedder>(lexicon_);
    repository_ = std::make_shared<store::sqlite::SqliteMemoryRepository>(db_);
  }

  ~Bench() {
    service_.reset();
    if (temporary_) {
      db_.reset();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  void run() {
    std::printf("shape: %zu user(s) x %zu memories = %zu; graph threshold %zu; cache %zu MiB\n",
                o_.users, o_.per_user, o_.users * o_.per_user, o_.threshold, o_.cache_mb);
    create_users();
    populate();
    start_service();
    load_vectors();
    search();
  }

 private:
  core::MemorySettings settings() const {
    core::MemorySettings s;
    s.graph_threshold = o_.threshold;
    s.vector_cache_bytes = o_.cache_mb << 20;
    s.graph_build_threads = o_.build_threads;
    s.index_dir = (dir_ / "index").string();
    return s;
  }

  void start_service() {
    service_.reset();
    core::MemoryPorts ports;
    ports.repository = repository_;
    ports.embedder = embedder_;
    ports.corpus = embedder_;
    service_ = std::make_unique<core::MemoryService>(std::move(ports),
                                                     core::ContentCipher("bench-key"), settings());
  }

  void create_users() {
    store::sqlite::SqliteUserRepository users(db_);
    for (std::size_t u = 0; u < o_.users; ++u) {
      auto name = "bench-" + std::to_string(u);
      auto found = users.find_by_username(name);
      if (!found) {
        core::NewUser nu;
        nu.username = name;
        found = users.create(nu, 0);
      }
      user_ids_.push_back(found->id);
    }
  }

  // Generates every user's memories (storing them when the database is new, otherwise
  // only showing their texts to the embedder's corpus statistics, as a running server
  // would have seen them) and keeps the questions the searches will ask.
  void populate() {
    auto picks = bench::sample_indices(o_.users * o_.per_user, o_.queries, 7);
    std::vector<std::vector<std::size_t>> wanted(o_.users);
    for (auto p : picks) wanted[p / o_.per_user].push_back(p % o_.per_user);
    double embed_ms = 0;
    std::size_t embedded = 0;
    auto start = Clock::now();
    for (std::size_t u = 0; u < o_.users; ++u) {
      bench::MemoryCorpus corpus(1000 + u);
      std::vector<core::NewMemory> batch;
      std::vector<std::string> texts;
      auto flush = [&] {
        if (fresh_)
          service_for_import().save_many(batch);
        else if (!o_.skip_observe)
          embedder_->observe_documents(texts);
        // A sample of the embedding cost on its own: the first batches of the first user.
        if (embedded < 20000 && (fresh_ || !o_.skip_observe)) {
          auto t = Clock::now();
          embedder_->embed(texts);
          embed_ms += ms_since(t);
          embedded += texts.size();
        }
        batch.clear();
        texts.clear();
      };
      for (std::size_t i = 0; i < o_.per_user; ++i) {
        auto m = corpus.next();
        if (std::find(wanted[u].begin(), wanted[u].end(), i) != wanted[u].end())
          queries_.push_back({user_ids_[u], m.question, m.content});
        core::NewMemory nm;
        nm.user_id = user_ids_[u];
        nm.content = m.content;
        nm.category = m.category;
        nm.importance = m.importance;
        nm.tier = core::MemoryTier::Permanent;  // nothing sealed: the searchable path
        texts.push_back(m.content);
        batch.push_back(std::move(nm));
        if (batch.size() >= o_.batch) flush();
      }
      if (!batch.empty()) flush();
    }
    double total = ms_since(start);
    std::mt19937_64 rng(11);
    std::shuffle(queries_.begin(), queries_.end(), rng);
    std::printf("%s %zu memories: %.1f s (%.1f us/memory)\n",
                fresh_ ? "generated and stored" : "reused the database; observed",
                o_.users * o_.per_user, total / 1000,
                total * 1000 / static_cast<double>(o_.users * o_.per_user));
    std::printf("  embedding alone: %.1f us/memory (sampled over %zu memories)\n",
                embed_ms * 1000 / static_cast<double>(std::max<std::size_t>(embedded, 1)),
                embedded);
    importer_.reset();
  }

  core::MemoryService& service_for_import() {
    if (!importer_) {
      core::MemoryPorts ports;
      ports.repository = repository_;
      ports.embedder = embedder_;
      ports.corpus = embedder_;
      auto s = settings();
      s.vector_cache_bytes = 0;  // an import only writes: nothing to keep in memory
      s.index_dir.clear();
      importer_ = std::make_unique<core::MemoryService>(std::move(ports),
                                                        core::ContentCipher("bench-key"), s);
    }
    return *importer_;
  }

  void load_vectors() {
    auto first_user = user_ids_.front();
    auto t = Clock::now();
    service_->search(first_user, {"warm up", 10, {}});
    std::printf("first search of a user (loads its vectors%s): %.1f ms\n",
                service_->uses_graph(first_user) ? ", graph from its file" : "", ms_since(t));
    if (o_.per_user >= o_.threshold && !service_->uses_graph(first_user)) {
      t = Clock::now();
      service_->wait_for_indexes();
      std::printf("graph build in the background (%zu threads, incl. saving): %.1f s\n",
                  o_.build_threads, ms_since(t) / 1000);
      t = Clock::now();
      start_service();  // a restart: the graph comes from its file
      service_->search(first_user, {"warm up", 10, {}});
      std::printf("first search after a restart (graph from its file: %s): %.1f ms\n",
                  service_->uses_graph(first_user) ? "yes" : "no", ms_since(t));
    }
    if (o_.users > 1) {
      t = Clock::now();
      for (auto user : user_ids_) service_->search(user, {"warm up", 10, {}});
      std::printf("first search of each of %zu users: %.2f ms on average\n", user_ids_.size(),
                  ms_since(t) / static_cast<double>(user_ids_.size()));
    }
  }

  void search() {
    std::vector<double> total, cpu, embed, lexical, vectors;
    std::size_t found = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(20, queries_.size()); ++i)
      service_->search(queries_[i].user, {queries_[i].text, 10, {}});
    for (std::size_t round = 0; round < o_.rounds; ++round)
      for (const auto& q : queries_) {
        auto t = Clock::now();
        auto c = thread_cpu_ms();
        auto hits = service_->search(q.user, {q.text, 10, {}});
        cpu.push_back(thread_cpu_ms() - c);
        total.push_back(ms_since(t));
        if (round > 0) continue;
        for (const auto& h : hits)
          if (h.memory.content == q.target) {
            ++found;
            break;
          }
      }
    // The parts on their own (CPU time), for the same questions: the word index in memory
    // (what the service searches), the store's full-text index (what it would search
    // without an embedder), and an exact scan below the graph threshold.
    std::shared_ptr<core::UserVectors> flat;
    if (o_.users == 1 && o_.per_user < o_.threshold) {
      flat = std::make_shared<core::UserVectors>(embedder_->model().space_id(),
                                                 embedder_->model().dimension);
      for (auto& v : repository_->vectors(user_ids_.front()))
        flat->upsert(v.row_id, v.tier, v.category, v.values);
    }
    std::map<std::int64_t, core::LexicalIndex> words;
    std::vector<double> words_load, fts;
    for (const auto& q : queries_) {
      auto c = thread_cpu_ms();
      auto query = embedder_->embed({q.text});
      embed.push_back(thread_cpu_ms() - c);
      if (!words.count(q.user)) {
        c = thread_cpu_ms();
        auto& w = words[q.user];
        for (auto& t : repository_->texts(q.user)) w.add(t.row_id, t.tier, t.category, t.content);
        words_load.push_back(thread_cpu_ms() - c);
      }
      c = thread_cpu_ms();
      words[q.user].search(q.text, {}, 50);
      lexical.push_back(thread_cpu_ms() - c);
      c = thread_cpu_ms();
      repository_->lexical_search(q.user, q.text, {}, 50);
      fts.push_back(thread_cpu_ms() - c);
      if (flat) {
        c = thread_cpu_ms();
        flat->nearest(query.front(), {}, 50);
        vectors.push_back(thread_cpu_ms() - c);
      }
    }
    auto all = percentiles(total), busy = percentiles(cpu), e = percentiles(embed),
         l = percentiles(lexical), f = percentiles(fts), wl = percentiles(words_load);
    std::printf("search (%zu questions x %zu, limit 10): p50 %.3f ms  p99 %.3f ms  mean %.3f ms\n",
                queries_.size(), o_.rounds, all.p50, all.p99, all.mean);
    std::printf("  CPU time of the search:  p50 %.3f ms  p99 %.3f ms\n", busy.p50, busy.p99);
    std::printf("  query embedding alone:   p50 %.3f ms  p99 %.3f ms (CPU)\n", e.p50, e.p99);
    std::printf("  BM25, words in memory:   p50 %.3f ms  p99 %.3f ms (CPU); loading them %.1f ms\n",
                l.p50, l.p99, wl.p50);
    std::printf(
        "  BM25, SQLite FTS5:       p50 %.3f ms  p99 %.3f ms (CPU; used without an "
        "embedder)\n",
        f.p50, f.p99);
    if (flat) {
      auto v = percentiles(vectors);
      std::printf("  exact vector scan alone: p50 %.3f ms  p99 %.3f ms (CPU)\n", v.p50, v.p99);
    }
    std::printf("  recall@10 of the targeted fact: %.1f%%\n",
                100.0 * static_cast<double>(found) / static_cast<double>(queries_.size()));
    std::printf("  graph in use for the first user: %s\n",
                service_->uses_graph(user_ids_.front()) ? "yes" : "no (exact scan)");
    if (service_->uses_graph(user_ids_.front())) graph_recall();
  }

  // How many of the exact 10 nearest vectors the graph finds, over the same vectors (the
  // graph's file): what the approximation costs in answers.
  void graph_recall() {
    auto user = user_ids_.front();
    auto graph =
        core::HnswIndex::load(dir_ / "index" / ("memory-" + std::to_string(user) + ".hnsw"),
                              embedder_->model().dimension, settings().graph);
    if (!graph) return;
    // The graph is asked for `breadth` answers and the best 10 kept: the same as searching
    // with that candidate list (ef), which the service sets through HnswParams::ef_search.
    std::vector<std::vector<float>> queries;
    std::vector<std::vector<core::VectorMatch>> exact;
    std::vector<double> exact_ms;
    for (const auto& q : queries_) {
      queries.push_back(embedder_->embed({q.text}).front());
      auto c = thread_cpu_ms();
      exact.push_back(graph->scan(queries.back(), 10, [](std::int64_t) { return true; }));
      exact_ms.push_back(thread_cpu_ms() - c);
    }
    std::printf("  exact scan of the graph's vectors: p50 %.3f ms (CPU)\n",
                percentiles(exact_ms).p50);
    for (std::size_t breadth : {50, 96, 200, 400}) {
      std::size_t found = 0, wanted = 0;
      std::vector<double> graph_ms;
      for (std::size_t i = 0; i < queries.size(); ++i) {
        auto c = thread_cpu_ms();
        auto approximate = graph->nearest(queries[i], breadth);
        graph_ms.push_back(thread_cpu_ms() - c);
        approximate.resize(std::min<std::size_t>(approximate.size(), 10));
        for (const auto& e : exact[i]) {
          ++wanted;
          for (const auto& a : approximate)
            if (a.row_id == e.row_id) {
              ++found;
              break;
            }
        }
      }
      auto g = percentiles(graph_ms);
      std::printf(
          "  graph, ef %3zu: recall@10 against the exact scan %.1f%%, p50 %.3f ms p99 "
          "%.3f ms (CPU)\n",
          breadth,
          100.0 * static_cast<double>(found) /
              static_cast<double>(std::max<std::size_t>(wanted, 1)),
          g.p50, g.p99);
    }
  }

  Options o_;
  std::filesystem::path dir_;
  bool temporary_ = false;
  bool fresh_ = true;
  std::shared_ptr<store::sqlite::Database> db_;
  std::shared_ptr<providers::embed::WordNetLexicon> lexicon_;
  std::shared_ptr<providers::embed::LocalEmbedder> embedder_;
  std::shared_ptr<store::sqlite::SqliteMemoryRepository> repository_;
  std::unique_ptr<core::MemoryService> importer_;
  std::unique_ptr<core::MemoryService> service_;
  std::vector<std::int64_t> user_ids_;
  std::vector<Query> queries_;
};

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when written to a file
  Bench bench(parse(argc, argv));
  bench.run();
  return 0;
}
