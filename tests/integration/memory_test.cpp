// Long-term memory as clients see it over real sockets: AI Friend's save, search, delete,
// stats and tiers, Voice Assistant's facts, isolation between users, expiry, and the
// personal tier's encryption at rest.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "app/state.hpp"
#include "support/api_helpers.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

json::object save(HttpClient& client, const std::string& token, json::object body) {
  auto res = client.post_json("/api/memory/save", body, bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.json().as_object();
}

json::object search(HttpClient& client, const std::string& token, const std::string& query) {
  auto res = client.post_json("/api/memory/search", json::object{{"query", query}, {"limit", 10}},
                              bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.json().as_object();
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(MemoryApi, SavedBirthdayRanksFirstForBirthdayQuestion) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  auto saved = save(client, token,
                    json::object{{"content", "User's birthday is June 15th"},
                                 {"category", "personal_info"},
                                 {"importance", 0.95},
                                 {"tags", json::array{"birthday", "personal", "important"}}});
  EXPECT_EQ(saved.at("message").as_string(), "Memory saved");
  EXPECT_EQ(saved.at("tier").as_string(), "permanent");
  EXPECT_TRUE(saved.at("expires_at").is_null());
  EXPECT_EQ(std::string(saved.at("memory_id").as_string()).rfind("mem-", 0), 0u);
  save(client, token,
       json::object{{"content", "I love my job as a developer"}, {"category", "work"}});
  save(client, token, json::object{{"content", "We talked about hiking in the Alps"}});

  auto found = search(client, token, "when is my birthday");
  auto& memories = found.at("memories").as_array();
  ASSERT_FALSE(memories.empty());
  auto& first = memories[0].as_object();
  EXPECT_EQ(first.at("content").as_string(), "User's birthday is June 15th");
  EXPECT_EQ(first.at("id").as_string(), saved.at("memory_id").as_string());
  EXPECT_EQ(first.at("metadata").at("category").as_string(), "personal_info");
  EXPECT_EQ(first.at("metadata").at("tags").as_array().size(), 3u);
  EXPECT_EQ(found.at("count").as_int64(), static_cast<std::int64_t>(memories.size()));
  EXPECT_GE(found.at("search_time_ms").to_number<double>(), 0.0);
  if (server.app().state().embedder) {
    double similarity = first.at("similarity").to_number<double>();
    EXPECT_GT(similarity, 0.0);
    EXPECT_LE(similarity, 1.0);
    EXPECT_NEAR(first.at("distance").to_number<double>(), 1.0 - similarity, 1e-9);
  }
}

TEST(MemoryApi, ValidationAnswers422WithFieldList) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  auto res = client.post_json(
      "/api/memory/save", json::object{{"importance", 2.0}, {"tier", "forever"}}, bearer(token));
  ASSERT_EQ(res.status, 422) << res.body;
  auto detail = res.json().at("detail").as_array();
  EXPECT_EQ(detail.size(), 3u) << res.body;  // content missing, importance, tier
  res = client.post_json("/api/memory/search", json::object{{"query", ""}}, bearer(token));
  EXPECT_EQ(res.status, 422) << res.body;
  res = client.request("DELETE", "/api/memory/facts/abc", {}, bearer(token));
  EXPECT_EQ(res.status, 422) << res.body;
  res = client.get("/api/memory/facts?limit=0", bearer(token));
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(client.get("/api/memory/stats", bearer(token)).json().at("total_memories").as_int64(),
            0);
}

TEST(MemoryApi, SearchSurvivesQuerySyntax) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  save(client, token, json::object{{"content", "A note with \"quotes\" and stars *"}});
  for (std::string q : {"\"", "*", "NEAR(a b", "a AND OR", "col:x", "'); DROP TABLE memories;--"})
    search(client, token, q);
  EXPECT_EQ(client.get("/api/memory/stats", bearer(token)).json().at("total_memories").as_int64(),
            1);
}

TEST(MemoryApi, OneUsersMemoriesAreInvisibleToAnother) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = register_user(client, "alice");
  auto bob = register_user(client, "bob");
  auto saved =
      save(client, alice,
           json::object{{"content", "Alice keeps a kayak in the garage"}, {"category", "hobbies"}});
  std::string id(saved.at("memory_id").as_string());

  EXPECT_EQ(search(client, bob, "kayak garage").at("count").as_int64(), 0);
  auto bob_facts = client.get("/api/memory/facts", bearer(bob));
  ASSERT_EQ(bob_facts.status, 200);
  EXPECT_TRUE(bob_facts.json().as_array().empty());
  auto bob_stats = client.get("/api/memory/stats", bearer(bob)).json();
  EXPECT_EQ(bob_stats.at("total_memories").as_int64(), 0);
  EXPECT_EQ(bob_stats.at("total_facts").as_int64(), 0);

  // Deleting another user's memory looks exactly like deleting a missing one.
  auto theirs = client.request("DELETE", "/api/memory/" + id, {}, bearer(bob));
  auto missing = client.request("DELETE", "/api/memory/mem-0000000000000000", {}, bearer(bob));
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(theirs.json().at("detail"), missing.json().at("detail"));
  auto alice_facts = client.get("/api/memory/facts", bearer(alice)).json().as_array();
  ASSERT_EQ(alice_facts.size(), 1u);
  auto fact_id = alice_facts[0].at("id").as_int64();
  EXPECT_EQ(
      client.request("DELETE", "/api/memory/facts/" + std::to_string(fact_id), {}, bearer(bob))
          .status,
      404);
  // Naming another user is refused to an ordinary user.
  EXPECT_EQ(client.get("/api/memory/facts?user_id=alice", bearer(bob)).status, 403);

  // Alice still has it, and can delete it.
  EXPECT_EQ(search(client, alice, "kayak").at("count").as_int64(), 1);
  auto del = client.request("DELETE", "/api/memory/" + id, {}, bearer(alice));
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(del.json().at("message").as_string(), "Memory deleted");
  EXPECT_EQ(del.json().at("memory_id").as_string(), id);
  EXPECT_EQ(search(client, alice, "kayak").at("count").as_int64(), 0);
}

TEST(MemoryApi, VoiceFactsListAndDelete) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  save(client, token,
       json::object{{"content", "User enjoys jazz music, particularly Miles Davis"},
                    {"category", "preferences"},
                    {"importance", 0.8}});
  save(client, token,
       json::object{{"content", "User has a meeting on Friday"},
                    {"category", "context"},
                    {"importance", 0.4}});
  auto all = client.get("/api/memory/facts", bearer(token));
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.json().as_array().size(), 2u);
  auto prefs = client.get("/api/memory/facts?category=preferences&limit=10", bearer(token));
  auto list = prefs.json().as_array();
  ASSERT_EQ(list.size(), 1u);
  auto& fact = list[0].as_object();
  EXPECT_TRUE(fact.at("id").is_int64());
  EXPECT_EQ(fact.at("content").as_string(), "User enjoys jazz music, particularly Miles Davis");
  EXPECT_EQ(fact.at("category").as_string(), "preferences");
  EXPECT_DOUBLE_EQ(fact.at("importance_score").to_number<double>(), 0.8);
  EXPECT_TRUE(fact.at("created_at").is_string());
  auto id = fact.at("id").as_int64();
  auto del = client.request("DELETE", "/api/memory/facts/" + std::to_string(id), {}, bearer(token));
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(del.json().at("success").as_bool(), true);
  EXPECT_EQ(del.json().at("message").as_string(), "Fact " + std::to_string(id) + " deleted");
  EXPECT_EQ(client.get("/api/memory/facts", bearer(token)).json().as_array().size(), 1u);
  EXPECT_EQ(
      client.request("DELETE", "/api/memory/facts/" + std::to_string(id), {}, bearer(token)).status,
      404);
  // An admin acts for the user by naming it.
  auto as_admin = client.get("/api/memory/facts?user_id=ana", {{"X-API-Key", root_key}});
  ASSERT_EQ(as_admin.status, 200) << as_admin.body;
  EXPECT_EQ(as_admin.json().as_array().size(), 1u);
}

TEST(MemoryApi, StatsIsTheUnionOfBothShapes) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  save(client, token,
       json::object{
           {"content", "Works on an AI project"}, {"category", "work"}, {"importance", 0.75}});
  save(client, token,
       json::object{
           {"content", "Lives near the river"}, {"category", "personal"}, {"importance", 0.6}});
  auto res = client.get("/api/memory/stats", bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto s = res.json().as_object();
  EXPECT_EQ(s.at("total_memories").as_int64(), 2);
  EXPECT_EQ(s.at("total_facts").as_int64(), 2);
  EXPECT_EQ(s.at("by_tier").at("temporary").as_int64(), 1);
  EXPECT_EQ(s.at("by_tier").at("personal").as_int64(), 1);
  EXPECT_EQ(s.at("by_tier").at("session").as_int64(), 0);
  EXPECT_EQ(s.at("by_category").at("work").as_int64(), 1);
  EXPECT_EQ(s.at("facts_by_category").at("personal").as_int64(), 1);
  EXPECT_GT(s.at("total_size_mb").to_number<double>(), 0.0);
  EXPECT_TRUE(s.at("oldest_memory").is_string());
  EXPECT_TRUE(s.at("newest_memory").is_string());
  EXPECT_EQ(s.at("total_conversations").as_int64(), 0);
  EXPECT_TRUE(s.at("oldest_conversation").is_null());
  EXPECT_TRUE(s.contains("newest_conversation"));
}

TEST(MemoryApi, TiersArePublicAndDocumented) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.get("/api/memory/tiers");
  ASSERT_EQ(res.status, 200) << res.body;
  auto tiers = res.json().at("tiers").as_array();
  ASSERT_EQ(tiers.size(), 5u);
  EXPECT_EQ(tiers[0].at("name").as_string(), "session");
  EXPECT_EQ(tiers[0].at("retention_days").as_int64(), 2);
  EXPECT_EQ(tiers[1].at("retention_days").as_int64(), 10);
  EXPECT_EQ(tiers[2].at("retention_days").as_int64(), 30);
  EXPECT_EQ(tiers[3].at("retention_days").as_int64(), -1);
  EXPECT_EQ(tiers[4].at("name").as_string(), "personal");
  EXPECT_EQ(tiers[4].at("auto_cleanup").as_bool(), false);
  EXPECT_EQ(client.get("/api/memory/stats").status, 401);
}

TEST(MemoryApi, SessionMemoryExpiresAfterItsRetention) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  auto saved =
      save(client, token, json::object{{"content", "We chatted about lunch"}, {"importance", 0.1}});
  EXPECT_EQ(saved.at("tier").as_string(), "session");
  ASSERT_TRUE(saved.at("expires_at").is_string());
  save(client, token, json::object{{"content", "Keeps bees"}, {"importance", 0.95}});

  auto& memory = server.app().state().memory;
  auto now = memory->now();
  companion::core::MemoryExpiryJob one_day_later(memory, std::chrono::hours(1),
                                                 [&] { return now + 86400; });
  EXPECT_EQ(one_day_later.run_once(), 0u);
  EXPECT_EQ(search(client, token, "lunch").at("count").as_int64(), 1);
  companion::core::MemoryExpiryJob two_days_later(memory, std::chrono::hours(1),
                                                  [&] { return now + 2 * 86400 + 1; });
  EXPECT_EQ(two_days_later.run_once(), 1u);
  EXPECT_EQ(search(client, token, "lunch").at("count").as_int64(), 0);
  auto stats = client.get("/api/memory/stats", bearer(token)).json();
  EXPECT_EQ(stats.at("total_memories").as_int64(), 1);
  EXPECT_EQ(stats.at("expired_memories").as_int64(), 1);
}

TEST(MemoryApi, PersonalTierIsNotReadableInTheDatabaseFile) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ana");
  const std::string secret = "Ana's passport number is X1234567";
  auto saved = save(client, token, json::object{{"content", secret}, {"tier", "personal"}});
  EXPECT_EQ(saved.at("tier").as_string(), "personal");
  save(client, token, json::object{{"content", "Plain note about tulips"}, {"importance", 0.3}});

  // The owner reads it back in clear.
  auto facts = client.get("/api/memory/facts", bearer(token)).json().as_array();
  bool seen = false;
  for (auto& f : facts) seen = seen || f.at("content").as_string() == secret;
  EXPECT_TRUE(seen);

  auto db = server.data_dir() / "companion.db";
  auto wal = server.data_dir() / "companion.db-wal";
  std::string bytes = file_bytes(db) + file_bytes(wal);
  ASSERT_NE(bytes.find("tulips"), std::string::npos) << "the check must see stored text";
  EXPECT_EQ(bytes.find("passport"), std::string::npos);
  EXPECT_EQ(bytes.find("X1234567"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(server.data_dir() / "memory.key"));
  auto perms = std::filesystem::status(server.data_dir() / "memory.key").permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}
