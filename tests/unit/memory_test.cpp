// Long-term memory without a server: tier assignment, rank fusion, fact extraction,
// contradiction updates, recall promotion and expiry with an injected clock, on the real
// SQLite repository in a temporary folder and a small bag-of-words embedder.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>

#include "core/events/in_process_event_bus.hpp"
#include "core/memory/expiry_job.hpp"
#include "core/memory/fact_extractor.hpp"
#include "core/memory/memory_service.hpp"
#include "core/memory/rank_fusion.hpp"
#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/memory_repository.hpp"
#include "store/sqlite/migrations.hpp"
#include "support/test_server.hpp"

using namespace companion;

namespace {

// Words hashed into 64 buckets, L2-normalised: texts that share words point the same way.
class WordEmbedder : public core::Embedder {
 public:
  core::EmbeddingModel model() const override { return {"test", "words", 64}; }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (const auto& text : texts) {
      std::vector<float> v(64, 0.0f);
      for (const auto& word : words(text)) v[std::hash<std::string>{}(word) % 64] += 1.0f;
      float norm = 0;
      for (float x : v) norm += x * x;
      if (norm > 0)
        for (float& x : v) x /= std::sqrt(norm);
      out.push_back(std::move(v));
    }
    return out;
  }

 private:
  static std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    for (char c : text + " ") {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!w.empty()) {
        out.push_back(w);
        w.clear();
      }
    }
    return out;
  }
};

struct Fixture {
  companion::testing::TempDir dir;
  std::shared_ptr<store::sqlite::Database> db;
  std::atomic<std::int64_t> now{1'700'000'000};
  std::shared_ptr<core::MemoryService> memory;
  std::int64_t user = 0;

  Fixture() {
    db = std::make_shared<store::sqlite::Database>((dir.path() / "t.db").string());
    store::sqlite::migrate(*db);
    store::sqlite::SqliteUserRepository users(db);
    core::NewUser u;
    u.username = "ana";
    user = users.create(u, now)->id;
    core::MemoryPorts ports;
    ports.repository = std::make_shared<store::sqlite::SqliteMemoryRepository>(db);
    ports.embedder = std::make_shared<WordEmbedder>();
    memory = std::make_shared<core::MemoryService>(
        std::move(ports), core::ContentCipher("unit-test-key"), core::MemorySettings{},
        [this] { return now.load(); });
  }

  core::Memory save(const std::string& content, double importance,
                    std::string category = "general") {
    core::NewMemory m;
    m.user_id = user;
    m.content = content;
    m.importance = importance;
    m.category = std::move(category);
    return memory->save(m);
  }
};

}  // namespace

TEST(MemoryTiers, AssignedFromImportanceAndCategory) {
  using core::MemoryTier;
  EXPECT_EQ(core::assign_tier(0.95, "personal_info"), MemoryTier::Permanent);
  EXPECT_EQ(core::assign_tier(0.8, "personal"), MemoryTier::Personal);
  EXPECT_EQ(core::assign_tier(0.75, "work"), MemoryTier::Temporary);
  EXPECT_EQ(core::assign_tier(0.5, "hobbies"), MemoryTier::SubTemporary);
  EXPECT_EQ(core::assign_tier(0.1, "chat"), MemoryTier::Session);
}

TEST(MemoryTiers, RetentionMatchesTheDocumentedTable) {
  EXPECT_EQ(core::tier_expiry(core::MemoryTier::Session, 0), 2 * 86400);
  EXPECT_EQ(core::tier_expiry(core::MemoryTier::SubTemporary, 0), 10 * 86400);
  EXPECT_EQ(core::tier_expiry(core::MemoryTier::Temporary, 0), 30 * 86400);
  EXPECT_FALSE(core::tier_expiry(core::MemoryTier::Permanent, 0));
  EXPECT_FALSE(core::tier_expiry(core::MemoryTier::Personal, 0));
}

TEST(RankFusion, ItemHighInBothListsWins) {
  auto fused = core::reciprocal_rank_fusion({{1, 2, 3}, {3, 4, 2}});
  ASSERT_EQ(fused.size(), 4u);
  // 2: 1/62 + 1/63; 3: 1/63 + 1/61; 1: 1/61 alone.
  EXPECT_EQ(fused[0].id, 3);
  EXPECT_EQ(fused[1].id, 2);
  EXPECT_EQ(fused[2].id, 1);
  EXPECT_NEAR(fused[0].score, 1.0 / 63 + 1.0 / 61, 1e-12);
}

TEST(FactExtractor, FindsFirstPersonStatements) {
  auto facts = core::extract_facts(
      "My name is Ana and I love jazz. I work as a nurse. My sister is called Maya! "
      "I moved to Lyon, it is lovely. Do I like rap? I'm going to visit Rome next week.");
  std::vector<std::string> contents;
  for (auto& f : facts) contents.push_back(f.content);
  auto has = [&](const std::string& c) {
    return std::find(contents.begin(), contents.end(), c) != contents.end();
  };
  EXPECT_TRUE(has("User's name is Ana")) << ::testing::PrintToString(contents);
  EXPECT_TRUE(has("User loves jazz")) << ::testing::PrintToString(contents);
  EXPECT_TRUE(has("User works as a nurse")) << ::testing::PrintToString(contents);
  EXPECT_TRUE(has("User's sister is called Maya")) << ::testing::PrintToString(contents);
  EXPECT_TRUE(has("User lives in Lyon")) << ::testing::PrintToString(contents);
  EXPECT_TRUE(has("User is going to visit Rome next week")) << ::testing::PrintToString(contents);
  EXPECT_EQ(contents.size(), 6u) << "the question asserts nothing";
}

TEST(FactExtractor, AClauseThatStartsAfterTheFactIsNotPartOfIt) {
  auto facts = core::extract_facts("My sister is called Maya and I'm so happy today!");
  ASSERT_FALSE(facts.empty());
  EXPECT_EQ(facts[0].content, "User's sister is called Maya");
  // A name with "and" in it is still one fact.
  auto named = core::extract_facts("My dog is called Salt and Pepper.");
  ASSERT_FALSE(named.empty());
  EXPECT_EQ(named[0].content, "User's dog is called Salt and Pepper");
}

TEST(FactExtractor, NothingFromSmallTalk) {
  EXPECT_TRUE(core::extract_facts("What's the weather like today?").empty());
  EXPECT_TRUE(core::extract_facts("").empty());
}

TEST(MemoryService, ContradictionInSlotUpdatesTheOldFact) {
  Fixture f;
  core::MemoryOwner owner{f.user, "ana"};
  auto first = f.memory->remember_from_message(owner, "s1", "I live in Paris.");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].action, core::RememberAction::Stored);
  auto again = f.memory->remember_from_message(owner, "s1", "i live in paris");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].action, core::RememberAction::Merged);
  auto moved = f.memory->remember_from_message(owner, "s2", "I moved to Lyon last month");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].action, core::RememberAction::Updated);
  EXPECT_EQ(moved[0].memory.row_id, first[0].memory.row_id);
  auto all = f.memory->list(f.user, {}, 100);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].content, "User lives in Lyon last month");
}

TEST(MemoryService, SearchFusesLexicalAndVectorRanks) {
  Fixture f;
  f.save("I love my job as a developer", 0.8, "work");
  f.save("User's birthday is June 15th", 0.95, "personal_info");
  f.save("Went hiking in the Alps", 0.5, "hobbies");
  auto hits = f.memory->search(f.user, {"when is my birthday", 10, {}});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].memory.content, "User's birthday is June 15th");
  ASSERT_TRUE(hits[0].similarity);
  EXPECT_GT(*hits[0].similarity, 0.0);
  EXPECT_LE(*hits[0].similarity, 1.0);
  auto work = f.memory->search(f.user, {"job", 10, {std::string("hobbies"), std::nullopt}});
  for (auto& h : work) EXPECT_EQ(h.memory.category, "hobbies");
}

TEST(MemoryService, QuerySyntaxNeverErrors) {
  Fixture f;
  f.save("Quotes \" and stars * are fine", 0.5);
  for (std::string q : {"\"", "*", "NEAR(a b)", "a AND OR NOT", "-x:y", "((", "^"})
    EXPECT_NO_THROW(f.memory->search(f.user, {q, 5, {}})) << q;
}

TEST(MemoryService, RecalledMemoriesArePromoted) {
  Fixture f;
  auto m = f.save("User practises the cello", 0.1);
  ASSERT_EQ(m.tier, core::MemoryTier::Session);
  for (int i = 0; i < 3; ++i) f.memory->search(f.user, {"cello", 5, {}});
  auto after = f.memory->list(f.user, {}, 10);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].tier, core::MemoryTier::SubTemporary);
  EXPECT_EQ(after[0].access_count, 3);
}

TEST(MemoryExpiry, SweepDeletesWhatExpiredAtTheInjectedTime) {
  Fixture f;
  f.save("Just chatting about lunch", 0.1);      // session tier: 2 days
  f.save("User's birthday is June 15th", 0.95);  // permanent
  std::atomic<std::int64_t> clock{f.now + 86400};
  core::MemoryExpiryJob job(f.memory, std::chrono::hours(1), [&] { return clock.load(); });
  EXPECT_EQ(job.run_once(), 0u);
  clock = f.now + 2 * 86400;
  EXPECT_EQ(job.run_once(), 1u);
  EXPECT_EQ(job.total_deleted(), 1u);
  auto left = f.memory->list(f.user, {}, 10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].content, "User's birthday is June 15th");
  EXPECT_EQ(f.memory->stats(f.user).expired, 1);
  EXPECT_TRUE(f.memory->search(f.user, {"lunch", 5, {}}).empty());
}

TEST(MemoryExpiry, BackgroundJobStopsPromptly) {
  Fixture f;
  core::MemoryExpiryJob job(f.memory, std::chrono::hours(24));
  job.start();
  job.stop();  // returns without waiting a day
  SUCCEED();
}

TEST(MemoryService, RememberedFactsAreAnnouncedOnTheBus) {
  Fixture f;
  auto bus = std::make_shared<core::InProcessEventBus>(core::EventHistoryLimits{});
  core::MemoryPorts ports;
  ports.repository = std::make_shared<store::sqlite::SqliteMemoryRepository>(f.db);
  ports.events = bus;
  core::MemoryService memory(std::move(ports), core::ContentCipher("unit-test-key"));
  auto stored = memory.remember_from_message({f.user, "ana"}, "s1", "I love jazz. I love jazz!");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].action, core::RememberAction::Merged);
  auto events = bus->events_since("s1", "");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, core::EventType::MemoryStored);
  EXPECT_EQ(events[0].data.at("fact_content").as_string(), "User loves jazz");
  EXPECT_EQ(events[0].data.at("category").as_string(), "preferences");
}
