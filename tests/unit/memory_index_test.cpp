// Memory search at scale without a server: the HNSW graph a user's vectors move to past
// the threshold (same answers as the exact scan, deletions honoured, kept in a file across
// restarts and rebuilt when that file is gone or stale), the in-memory word index, and
// recall bookkeeping written in the background. Real SQLite in a temporary folder.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <random>
#include <thread>

#include "core/memory/hnsw_index.hpp"
#include "core/memory/lexical_index.hpp"
#include "core/memory/memory_service.hpp"
#include "core/memory/recall_recorder.hpp"
#include "core/memory/user_vectors.hpp"
#include "core/memory/word_stem.hpp"
#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/memory_repository.hpp"
#include "store/sqlite/migrations.hpp"
#include "support/test_server.hpp"

using namespace companion;

namespace {

constexpr std::size_t dimension = 48;

// Words and their three-letter pieces hashed into 48 signed buckets, L2-normalised: texts
// that share words point the same way, and the pieces spread vectors enough that two
// different texts rarely tie.
class PieceEmbedder : public core::Embedder {
 public:
  core::EmbeddingModel model() const override { return {"test", "pieces", dimension}; }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (const auto& text : texts) {
      std::vector<float> v(dimension, 0.0f);
      std::string word;
      auto add = [&](const std::string& piece, float weight) {
        auto h = std::hash<std::string>{}(piece);
        v[h % dimension] += (h >> 40) % 2 ? weight : -weight;
      };
      for (char c : text + " ") {
        if (std::isalnum(static_cast<unsigned char>(c))) {
          word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          continue;
        }
        if (word.empty()) continue;
        add(word, 1.0f);
        for (std::size_t i = 0; i + 3 <= word.size(); ++i) add(word.substr(i, 3), 0.3f);
        word.clear();
      }
      float norm = 0;
      for (float x : v) norm += x * x;
      if (norm > 0)
        for (float& x : v) x /= std::sqrt(norm);
      out.push_back(std::move(v));
    }
    return out;
  }
};

const std::vector<std::string> people = {"Maya",  "Liam",  "Sofia", "Noah", "Amara", "Jonas",
                                         "Elena", "Mateo", "Hana",  "Omar", "Clara", "Felix"};
const std::vector<std::string> things = {"kayak",  "guitar",   "garden", "novel",
                                         "bakery", "violin",   "tent",   "camera",
                                         "recipe", "marathon", "piano",  "bicycle"};
const std::vector<std::string> places = {"Lyon",   "Berlin",  "Lisbon", "Kyoto", "Oslo",  "Porto",
                                         "Vienna", "Seville", "Milan",  "Perth", "Ghent", "Bergen"};

std::string fact(std::size_t i) {
  return people[i % people.size()] + " talked about the " + things[(i / 3) % things.size()] +
         " in " + places[(i / 7) % places.size()] + " during week " + std::to_string(i % 53);
}

std::string question(std::size_t i) {
  return "what did " + people[i % people.size()] + " say about the " +
         things[(i / 3) % things.size()] + " in " + places[(i / 7) % places.size()];
}

// A user's memories in a database that outlives the services opened on it, as a restart
// would see it.
struct Store {
  companion::testing::TempDir dir;
  std::shared_ptr<store::sqlite::Database> db;
  std::int64_t user = 0;
  std::atomic<std::int64_t> now{1'700'000'000};

  Store() {
    db = std::make_shared<store::sqlite::Database>((dir.path() / "t.db").string());
    store::sqlite::migrate(*db);
    store::sqlite::SqliteUserRepository users(db);
    core::NewUser u;
    u.username = "ana";
    user = users.create(u, now)->id;
  }

  std::filesystem::path index_dir() const { return dir.path() / "index"; }
  std::filesystem::path index_file() const {
    return index_dir() / ("memory-" + std::to_string(user) + ".hnsw");
  }

  // threshold 0: never a graph.
  std::unique_ptr<core::MemoryService> service(std::size_t graph_threshold,
                                               bool keep_indexes = true) {
    core::MemoryPorts ports;
    ports.repository = std::make_shared<store::sqlite::SqliteMemoryRepository>(db);
    ports.embedder = std::make_shared<PieceEmbedder>();
    core::MemorySettings settings;
    settings.graph_threshold = graph_threshold == 0 ? SIZE_MAX : graph_threshold;
    if (keep_indexes) settings.index_dir = index_dir().string();
    return std::make_unique<core::MemoryService>(std::move(ports),
                                                 core::ContentCipher("unit-test-key"), settings,
                                                 [this] { return now.load(); });
  }

  std::vector<core::Memory> fill(core::MemoryService& memory, std::size_t count) {
    std::vector<core::NewMemory> batch;
    for (std::size_t i = 0; i < count; ++i) {
      core::NewMemory m;
      m.user_id = user;
      m.content = fact(i);
      m.tier = core::MemoryTier::Permanent;
      batch.push_back(std::move(m));
    }
    return memory.save_many(batch);
  }
};

std::string top_hit(core::MemoryService& memory, std::int64_t user, const std::string& q) {
  auto hits = memory.search(user, {q, 10, {}});
  return hits.empty() ? std::string() : hits.front().memory.content;
}

bool returns(core::MemoryService& memory, std::int64_t user, const std::string& q,
             std::int64_t row_id) {
  for (const auto& h : memory.search(user, {q, 50, {}}))
    if (h.memory.row_id == row_id) return true;
  return false;
}

std::vector<float> random_unit(std::mt19937& rng, std::size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> v(n);
  float norm = 0;
  for (auto& x : v) {
    x = normal(rng);
    norm += x * x;
  }
  for (auto& x : v) x /= std::sqrt(norm);
  return v;
}

}  // namespace

TEST(MemoryGraph, FindsTheExactScansTopHit) {
  std::mt19937 rng(3);
  core::UserVectors exact("space", 32), graphed("space", 32);
  for (std::int64_t row = 1; row <= 3000; ++row) {
    auto v = random_unit(rng, 32);
    exact.upsert(row, core::MemoryTier::Permanent, "general", v);
    graphed.upsert(row, core::MemoryTier::Permanent, "general", v);
  }
  auto snapshot = graphed.begin_graph();
  std::atomic<bool> stop{false};
  graphed.adopt_graph(core::HnswIndex::build(32, {}, snapshot.rows, snapshot.values, 2, stop));
  ASSERT_TRUE(graphed.has_graph());
  for (int q = 0; q < 50; ++q) {
    auto query = random_unit(rng, 32);
    auto want = exact.nearest(query, {}, 1);
    auto got = graphed.nearest(query, {}, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].row_id, want[0].row_id) << "query " << q;
    EXPECT_NEAR(got[0].similarity, want[0].similarity, 1e-5);
  }
}

TEST(MemoryGraph, FilteredSearchKeepsToTheFilter) {
  std::mt19937 rng(5);
  core::UserVectors graphed("space", 16);
  for (std::int64_t row = 1; row <= 1000; ++row)
    graphed.upsert(row, row % 50 == 0 ? core::MemoryTier::Session : core::MemoryTier::Permanent,
                   row % 2 ? "odd" : "even", random_unit(rng, 16));
  auto snapshot = graphed.begin_graph();
  std::atomic<bool> stop{false};
  graphed.adopt_graph(core::HnswIndex::build(16, {}, snapshot.rows, snapshot.values, 1, stop));
  core::MemoryFilter rare{std::nullopt, core::MemoryTier::Session};  // 2% of the rows
  auto few = graphed.nearest(random_unit(rng, 16), rare, 50);
  EXPECT_EQ(few.size(), 20u);
  for (auto& m : few) EXPECT_EQ(m.row_id % 50, 0);
  core::MemoryFilter half{std::string("odd"), std::nullopt};
  auto many = graphed.nearest(random_unit(rng, 16), half, 10);
  EXPECT_EQ(many.size(), 10u);
  for (auto& m : many) EXPECT_EQ(m.row_id % 2, 1);
}

TEST(MemoryGraph, RemovedRowIsNeverFoundAgainNorAfterReload) {
  std::mt19937 rng(9);
  core::UserVectors vectors("space", 16);
  std::vector<std::vector<float>> values;
  for (std::int64_t row = 1; row <= 500; ++row) {
    values.push_back(random_unit(rng, 16));
    vectors.upsert(row, core::MemoryTier::Permanent, "general", values.back());
  }
  auto snapshot = vectors.begin_graph();
  std::atomic<bool> stop{false};
  auto graph = core::HnswIndex::build(16, {}, snapshot.rows, snapshot.values, 1, stop);
  vectors.remove(77);  // while the graph was being built
  vectors.adopt_graph(std::move(graph));
  vectors.remove(78);  // after
  for (std::int64_t row : {77, 78}) {
    for (auto& m : vectors.nearest(values[row - 1], {}, 20)) EXPECT_NE(m.row_id, row);
    EXPECT_FALSE(vectors.similarity(values[row - 1], row));
  }
  EXPECT_EQ(vectors.nearest(values[78], {}, 1).front().row_id, 79);

  companion::testing::TempDir dir;
  vectors.save_graph([&](const core::HnswIndex& g) { g.save(dir.path() / "g.hnsw"); });
  auto reloaded = core::HnswIndex::load(dir.path() / "g.hnsw", 16, {});
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->size(), 498u);
  for (std::int64_t row : {77, 78})
    for (auto& m : reloaded->nearest(values[row - 1], 20)) EXPECT_NE(m.row_id, row);
}

TEST(MemoryGraph, ServiceAboveThresholdAnswersLikeTheExactScan) {
  Store s;
  auto exact = s.service(0, false);
  s.fill(*exact, 600);
  auto graphed = s.service(300);
  graphed->search(s.user, {"warm up", 5, {}});
  graphed->wait_for_indexes();
  ASSERT_TRUE(graphed->uses_graph(s.user));
  EXPECT_FALSE(exact->uses_graph(s.user));
  for (std::size_t i = 0; i < 600; i += 20)
    EXPECT_EQ(top_hit(*graphed, s.user, question(i)), top_hit(*exact, s.user, question(i)))
        << question(i);
  EXPECT_EQ(top_hit(*graphed, s.user, fact(123)), fact(123));
}

TEST(MemoryGraph, DeletedMemoryNeverReturns) {
  Store s;
  auto memory = s.service(300);
  auto saved = s.fill(*memory, 600);
  memory->search(s.user, {"warm up", 5, {}});
  memory->wait_for_indexes();
  ASSERT_TRUE(memory->uses_graph(s.user));
  const auto& gone = saved[42];
  ASSERT_EQ(top_hit(*memory, s.user, gone.content), gone.content);
  ASSERT_TRUE(memory->remove(s.user, gone.id));
  EXPECT_FALSE(returns(*memory, s.user, gone.content, gone.row_id));
  EXPECT_FALSE(returns(*memory, s.user, question(42), gone.row_id));
  memory.reset();  // saves the graph with the deletion
  auto restarted = s.service(300);
  EXPECT_FALSE(returns(*restarted, s.user, gone.content, gone.row_id));
  EXPECT_TRUE(restarted->uses_graph(s.user));
}

TEST(MemoryGraph, SurvivesRestartWithoutRebuilding) {
  Store s;
  auto memory = s.service(300);
  s.fill(*memory, 600);
  memory->search(s.user, {"warm up", 5, {}});
  memory->wait_for_indexes();
  auto before = top_hit(*memory, s.user, question(77));
  memory.reset();
  ASSERT_TRUE(std::filesystem::exists(s.index_file())) << s.index_file();
  auto written = std::filesystem::last_write_time(s.index_file());

  auto restarted = s.service(300);
  EXPECT_EQ(top_hit(*restarted, s.user, question(77)), before);
  EXPECT_TRUE(restarted->uses_graph(s.user));
  restarted->wait_for_indexes();
  restarted.reset();
  // Read from the file, not built again (a build writes the file anew).
  EXPECT_EQ(std::filesystem::last_write_time(s.index_file()), written);
}

TEST(MemoryGraph, RebuiltWhenItsFileIsRemoved) {
  Store s;
  auto memory = s.service(300);
  s.fill(*memory, 600);
  memory->search(s.user, {"warm up", 5, {}});
  memory->wait_for_indexes();
  auto before = top_hit(*memory, s.user, question(5));
  memory.reset();
  std::filesystem::remove(s.index_file());

  auto restarted = s.service(300);
  EXPECT_EQ(top_hit(*restarted, s.user, question(5)), before);  // exact scan meanwhile
  restarted->wait_for_indexes();
  EXPECT_TRUE(restarted->uses_graph(s.user));
  EXPECT_TRUE(std::filesystem::exists(s.index_file()));
  EXPECT_EQ(top_hit(*restarted, s.user, question(5)), before);
}

TEST(MemoryGraph, StaleFileIsNotTrusted) {
  Store s;
  auto memory = s.service(300);
  s.fill(*memory, 600);
  memory->search(s.user, {"warm up", 5, {}});
  memory->wait_for_indexes();
  memory.reset();
  // Written while the graph was not loaded (another process, or a crash before saving).
  auto other = s.service(0, false);
  core::NewMemory m;
  m.user_id = s.user;
  m.content = "Ana adopted a tortoise named Pistachio";
  m.tier = core::MemoryTier::Permanent;
  auto added = other->save(m);
  other.reset();

  auto restarted = s.service(300);
  EXPECT_EQ(top_hit(*restarted, s.user, "tortoise named Pistachio"), m.content);
  restarted->wait_for_indexes();
  ASSERT_TRUE(restarted->uses_graph(s.user));
  EXPECT_TRUE(returns(*restarted, s.user, "tortoise Pistachio", added.row_id));
}

TEST(MemoryGraph, CorruptFileIsRebuilt) {
  Store s;
  auto memory = s.service(300);
  s.fill(*memory, 600);
  memory->search(s.user, {"warm up", 5, {}});
  memory->wait_for_indexes();
  memory.reset();
  std::filesystem::resize_file(s.index_file(), 1000);

  auto restarted = s.service(300);
  EXPECT_EQ(top_hit(*restarted, s.user, fact(9)), fact(9));
  restarted->wait_for_indexes();
  EXPECT_TRUE(restarted->uses_graph(s.user));
}

TEST(MemoryWords, FormsOfAWordMeet) {
  EXPECT_EQ(core::stem_word("loves"), core::stem_word("loved"));
  EXPECT_EQ(core::stem_word("loving"), core::stem_word("love"));
  EXPECT_EQ(core::stem_word("cities"), core::stem_word("city"));
  EXPECT_EQ(core::stem_word("planned"), core::stem_word("plans"));
  EXPECT_EQ(core::stem_word("running"), core::stem_word("runs"));
  EXPECT_NE(core::stem_word("falling"), core::stem_word("fal"));
}

TEST(MemoryWords, RarerWordRanksHigher) {
  core::LexicalIndex words;
  words.add(1, core::MemoryTier::Permanent, "general", "User went hiking in the Alps");
  words.add(2, core::MemoryTier::Permanent, "general", "User went swimming in the lake");
  words.add(3, core::MemoryTier::Permanent, "general", "User went to the cinema");
  words.add(4, core::MemoryTier::Session, "work", "User loved the hike near the lake");
  auto hits = words.search("Where did I hike, near a lake?", {}, 10);
  ASSERT_GE(hits.size(), 3u);
  EXPECT_EQ(hits[0].row_id, 4);  // both words
  auto work = words.search("lake", {std::string("work"), std::nullopt}, 10);
  ASSERT_EQ(work.size(), 1u);
  EXPECT_EQ(work[0].row_id, 4);
  words.remove(4);
  for (auto& h : words.search("hike lake", {}, 10)) EXPECT_NE(h.row_id, 4);
  EXPECT_TRUE(words.search("the of and", {}, 10).empty());  // function words only
}

TEST(MemoryWords, WordIndexFollowsSavesAndDeletions) {
  Store s;
  core::MemoryPorts ports;
  ports.repository = std::make_shared<store::sqlite::SqliteMemoryRepository>(s.db);
  ports.embedder = std::make_shared<PieceEmbedder>();
  core::MemoryService memory(std::move(ports), core::ContentCipher("unit-test-key"));
  s.fill(memory, 100);
  memory.search(s.user, {"warm up", 5, {}});  // loads the user's indexes
  core::NewMemory birthday;
  birthday.user_id = s.user;
  birthday.content = "User's birthday is June 15th";
  birthday.tier = core::MemoryTier::Permanent;
  auto saved = memory.save(birthday);
  EXPECT_EQ(top_hit(memory, s.user, "when is my birthday"), birthday.content);
  EXPECT_EQ(top_hit(memory, s.user, "birthdays"), birthday.content);
  ASSERT_TRUE(memory.remove(s.user, saved.id));
  for (auto& h : memory.search(s.user, {"birthday", 50, {}}))
    EXPECT_NE(h.memory.row_id, saved.row_id);
}

TEST(RecallBookkeeping, AppliedOffTheSearchThreadAndMerged) {
  std::mutex m;
  std::vector<core::RecallMark> applied;
  std::thread::id applier;
  core::RecallRecorder recorder(
      [&](std::vector<core::RecallMark> marks) {
        std::lock_guard lock(m);
        applier = std::this_thread::get_id();
        applied.insert(applied.end(), marks.begin(), marks.end());
      },
      100);
  std::vector<std::int64_t> rows = {7, 8};
  recorder.record(1, rows, 100);
  recorder.record(1, std::vector<std::int64_t>{7}, 105);
  recorder.flush();
  std::lock_guard lock(m);
  EXPECT_NE(applier, std::this_thread::get_id());
  std::int64_t seven = 0, eight = 0, last_seven = 0;
  for (auto& mark : applied) {
    if (mark.row_id == 7) {
      seven += mark.times;
      last_seven = std::max(last_seven, mark.at);
    }
    if (mark.row_id == 8) eight += mark.times;
  }
  EXPECT_EQ(seven, 2);
  EXPECT_EQ(eight, 1);
  EXPECT_EQ(last_seven, 105);
}

TEST(RecallBookkeeping, ManyRecallsPromoteStepByStep) {
  Store s;
  auto memory = s.service(0, false);
  core::NewMemory m;
  m.user_id = s.user;
  m.content = "User practises the cello";
  m.importance = 0.1;
  auto saved = memory->save(m);
  ASSERT_EQ(saved.tier, core::MemoryTier::Session);
  auto first = memory->search(s.user, {"cello", 5, {}});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].memory.access_count, 1);  // the answer counts its own recall
  for (int i = 0; i < 5; ++i) memory->search(s.user, {"cello", 5, {}});
  auto after = memory->list(s.user, {}, 10);  // waits for the bookkeeping
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].access_count, 6);
  EXPECT_EQ(after[0].tier, core::MemoryTier::Temporary);  // two promotions: 3 and 6
  ASSERT_TRUE(after[0].expires_at);
  EXPECT_EQ(*after[0].expires_at, s.now + 30 * 86400);
}

TEST(RecallBookkeeping, WrittenBeforeTheServiceStops) {
  Store s;
  auto memory = s.service(0, false);
  core::NewMemory m;
  m.user_id = s.user;
  m.content = "User collects vinyl records";
  m.tier = core::MemoryTier::Permanent;
  memory->save(m);
  memory->search(s.user, {"vinyl", 5, {}});
  memory.reset();
  auto reopened = s.service(0, false);
  auto all = reopened->list(s.user, {}, 10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].access_count, 1);
}
