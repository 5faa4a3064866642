// The SQLite conversation store, character store and persistent sessions, on a real
// database in a temporary folder.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/character_repository.hpp"
#include "store/sqlite/conversation_repository.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/session_repository.hpp"
#include "support/test_server.hpp"

namespace {

using namespace companion;
using store::sqlite::Connection;
using store::sqlite::Database;
using store::sqlite::DatabaseError;

constexpr std::int64_t t0 = 1'700'000'000;

std::string numbered(const char* prefix, int n) {
  std::string text = prefix;
  text += std::to_string(n);
  return text;
}

std::shared_ptr<Database> open_database(const companion::testing::TempDir& dir) {
  return std::make_shared<Database>((dir.path() / "t.db").string());
}

std::int64_t create_user(const std::shared_ptr<Database>& db, const std::string& username) {
  store::sqlite::SqliteUserRepository users(db);
  core::NewUser u;
  u.username = username;
  return users.create(u, t0)->id;
}

struct Store {
  companion::testing::TempDir dir;
  std::shared_ptr<Database> db = open_database(dir);
  std::shared_ptr<store::sqlite::SqliteConversationRepository> conversations;
  std::int64_t ana = 0;
  std::int64_t ben = 0;
  int turns = 0;

  Store() {
    store::sqlite::migrate(*db);
    conversations = std::make_shared<store::sqlite::SqliteConversationRepository>(db);
    ana = create_user(db, "ana");
    ben = create_user(db, "ben");
  }

  void open(const std::string& id, std::int64_t user, std::int64_t at = t0) {
    core::Conversation c;
    c.id = id;
    c.user_id = user;
    c.client_type = "chattr";
    c.character_id = "friend";
    c.created_at = at;
    c.last_activity = at;
    ASSERT_TRUE(conversations->create(c));
  }

  // A question and its answer; the n-th turn of the store is at t0 + n seconds.
  core::TurnRecord turn(const std::string& conversation, const std::string& question,
                        const std::string& answer) {
    ++turns;
    core::TurnRecord t;
    std::string turn_id = numbered("turn_", turns);
    t.user.conversation_id = conversation;
    t.user.turn_id = turn_id;
    t.user.role = core::ChatRole::User;
    t.user.content = question;
    t.user.created_at_ms = (t0 + turns) * 1000;
    t.assistant = t.user;
    t.assistant.role = core::ChatRole::Assistant;
    t.assistant.content = answer;
    t.assistant.created_at_ms = t.user.created_at_ms + 250;
    return t;
  }

  void say(const std::string& conversation, const std::string& question,
           const std::string& answer = "ok") {
    conversations->append_turn(turn(conversation, question, answer));
  }

  std::vector<std::string> contents(const std::vector<core::StoredMessage>& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages) out.push_back(m.content);
    return out;
  }
};

core::ToolEventRecord tool_event(const std::string& tool) {
  core::ToolEventRecord e;
  e.tool = tool;
  e.arguments_json = R"({"query":"kayak"})";
  e.latency_ms = 42;
  e.result_preview = "a small boat";
  return e;
}

TEST(SqliteConversationStore, TurnIsReadBackInOrderWithEveryField) {
  Store s;
  s.open("c1", s.ana);
  auto t = s.turn("c1", "what boat do I have?", "a kayak");
  t.user.id = "msg_00000000000000a1";
  t.user.tokens = 7;
  t.user.emotion = "curious";
  t.user.sentiment = 0.25;
  t.user.intent = "recall";
  t.assistant.id = "msg_00000000000000a2";
  t.assistant.character_id = "friend";
  t.assistant.status = core::TurnStatus::Interrupted;
  t.assistant.model = "offline/companion";
  t.assistant.tokens = 3;
  t.assistant.metadata_json = R"({"sources":["memory"]})";
  auto failed = tool_event("search_memory");
  failed.ok = false;
  failed.error = "timeout";
  t.tool_events = {tool_event("search_memory"), failed};
  s.conversations->append_turn(t);

  auto messages = s.conversations->messages("c1", {});
  ASSERT_EQ(messages.size(), 2u);
  const auto& q = messages[0];
  const auto& a = messages[1];
  EXPECT_EQ(q.id, "msg_00000000000000a1");
  EXPECT_EQ(q.role, core::ChatRole::User);
  EXPECT_EQ(q.content, "what boat do I have?");
  EXPECT_EQ(q.conversation_id, "c1");
  EXPECT_EQ(q.user_id, s.ana);
  EXPECT_EQ(q.turn_id, "turn_1");
  EXPECT_EQ(q.created_at_ms, (t0 + 1) * 1000);
  EXPECT_EQ(q.tokens, 7);
  EXPECT_EQ(q.emotion, "curious");
  EXPECT_DOUBLE_EQ(q.sentiment, 0.25);
  EXPECT_EQ(q.intent, "recall");
  EXPECT_EQ(q.metadata_json, "{}");
  EXPECT_GT(a.row_id, q.row_id);
  EXPECT_EQ(a.id, "msg_00000000000000a2");
  EXPECT_EQ(a.role, core::ChatRole::Assistant);
  EXPECT_EQ(a.content, "a kayak");
  EXPECT_EQ(a.turn_id, "turn_1");
  EXPECT_EQ(a.character_id, "friend");
  EXPECT_EQ(a.created_at_ms, (t0 + 1) * 1000 + 250);
  EXPECT_EQ(a.status, core::TurnStatus::Interrupted);
  EXPECT_EQ(a.model, "offline/companion");
  EXPECT_EQ(a.tokens, 3);
  EXPECT_EQ(a.metadata_json, R"({"sources":["memory"]})");

  auto events = s.conversations->tool_events(s.ana, 0);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].tool, "search_memory");
  EXPECT_EQ(events[0].turn_id, "turn_1");  // taken from the turn when the event names none
  EXPECT_EQ(events[0].conversation_id, "c1");
  EXPECT_EQ(events[0].arguments_json, R"({"query":"kayak"})");
  EXPECT_TRUE(events[0].ok);
  EXPECT_EQ(events[0].latency_ms, 42);
  EXPECT_EQ(events[0].result_preview, "a small boat");
  EXPECT_FALSE(events[1].ok);
  EXPECT_EQ(events[1].error, "timeout");
  EXPECT_TRUE(s.conversations->tool_events(s.ana, (t0 + 2) * 1000).empty());

  auto c = s.conversations->find("c1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->message_count, 2);
  EXPECT_EQ(c->last_activity, t0 + 1);  // bumped by the turn
  EXPECT_EQ(c->character_id, "friend");
  EXPECT_EQ(c->client_type, "chattr");
}

TEST(SqliteConversationStore, MessagesWithoutIdOrTimeGetThem) {
  Store s;
  s.open("c1", s.ana);
  auto t = s.turn("c1", "hi", "hello");
  t.user.created_at_ms = 0;
  t.assistant.created_at_ms = 0;
  s.conversations->append_turn(t);
  auto messages = s.conversations->messages("c1", {});
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].id.size(), 20u);
  EXPECT_EQ(messages[0].id.rfind("msg_", 0), 0u);
  EXPECT_NE(messages[0].id, messages[1].id);
  EXPECT_GT(messages[0].created_at_ms, t0 * 1000);
  EXPECT_GT(s.conversations->find("c1")->last_activity, t0);
}

TEST(SqliteConversationStore, TurnIsAllOrNothing) {
  Store s;
  s.open("c1", s.ana);
  auto first = s.turn("c1", "one", "two");
  first.assistant.id = "msg_0000000000000001";
  s.conversations->append_turn(first);

  // The reply reuses a taken id: the question must not be left without its answer.
  auto clash = s.turn("c1", "three", "four");
  clash.assistant.id = "msg_0000000000000001";
  clash.tool_events = {tool_event("web_search")};
  EXPECT_THROW(s.conversations->append_turn(clash), DatabaseError);
  EXPECT_EQ(s.conversations->message_count("c1"), 2);
  EXPECT_TRUE(s.conversations->tool_events(s.ana, 0).empty());

  EXPECT_THROW(s.conversations->append_turn(s.turn("nowhere", "a", "b")), DatabaseError);
  EXPECT_EQ(s.conversations->user_message_count(s.ana), 2);
}

TEST(SqliteConversationStore, PagingHonoursLimitOffsetAndOrder) {
  Store s;
  s.open("c1", s.ana);
  for (int i = 1; i <= 5; ++i) s.say("c1", numbered("q", i), numbered("a", i));

  EXPECT_EQ(s.conversations->message_count("c1"), 10);
  EXPECT_EQ(s.contents(s.conversations->messages("c1", {3, 0, core::MessageOrder::OldestFirst})),
            (std::vector<std::string>{"q1", "a1", "q2"}));
  EXPECT_EQ(s.contents(s.conversations->messages("c1", {3, 2, core::MessageOrder::OldestFirst})),
            (std::vector<std::string>{"q2", "a2", "q3"}));
  EXPECT_EQ(s.contents(s.conversations->messages("c1", {3, 0, core::MessageOrder::NewestFirst})),
            (std::vector<std::string>{"a5", "q5", "a4"}));
  EXPECT_EQ(s.contents(s.conversations->messages("c1", {4, 8, core::MessageOrder::NewestFirst})),
            (std::vector<std::string>{"a1", "q1"}));
  EXPECT_TRUE(s.conversations->messages("c1", {5, 10, core::MessageOrder::OldestFirst}).empty());
  EXPECT_TRUE(s.conversations->messages("unknown", {}).empty());
  EXPECT_EQ(s.conversations->message_count("unknown"), 0);
}

TEST(SqliteConversationStore, ConversationsListMostRecentlyActiveFirstWithCounts) {
  Store s;
  s.open("old", s.ana, t0 - 100);
  s.open("new", s.ana, t0 - 50);
  s.open("bens", s.ben, t0 - 10);
  s.say("old", "back again");  // now the most recently active

  auto listed = s.conversations->list(s.ana, 10, 0);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "old");
  EXPECT_EQ(listed[0].message_count, 2);
  EXPECT_EQ(listed[1].id, "new");
  EXPECT_EQ(listed[1].message_count, 0);
  EXPECT_EQ(s.conversations->list(s.ana, 1, 1).at(0).id, "new");
  EXPECT_EQ(s.conversations->count(s.ana), 2);
  EXPECT_EQ(s.conversations->count(s.ben), 1);

  core::Conversation taken;
  taken.id = "old";
  taken.user_id = s.ben;
  EXPECT_FALSE(s.conversations->create(taken));  // an id is taken for everyone
  EXPECT_EQ(s.conversations->find("old")->user_id, s.ana);

  s.conversations->set_title("new", "Weekend plans");
  s.conversations->set_character("new", "coach");
  EXPECT_EQ(s.conversations->find("new")->title, "Weekend plans");
  EXPECT_EQ(s.conversations->find("new")->character_id, "coach");
}

TEST(SqliteConversationStore, RecentReturnsTheLastMessagesOldestFirst) {
  Store s;
  s.open("c1", s.ana);
  s.open("c2", s.ana);
  for (int i = 1; i <= 4; ++i) s.say("c1", numbered("q", i), numbered("a", i));
  s.say("c2", "elsewhere");

  EXPECT_EQ(s.contents(s.conversations->recent("c1", 3)),
            (std::vector<std::string>{"a3", "q4", "a4"}));
  EXPECT_EQ(s.conversations->recent("c1", 100).size(), 8u);
  EXPECT_TRUE(s.conversations->recent("c1", 0).empty());
}

TEST(SqliteConversationStore, ClearKeepsTheConversationAndCountsWhatWent) {
  Store s;
  s.open("c1", s.ana);
  s.open("c2", s.ana);
  auto t = s.turn("c1", "play jazz", "playing");
  t.tool_events = {tool_event("music")};
  s.conversations->append_turn(t);
  s.say("c1", "louder");
  s.say("c2", "keep me");

  EXPECT_EQ(s.conversations->clear("c1"), 4);
  auto c1 = s.conversations->find("c1");
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->message_count, 0);
  EXPECT_TRUE(s.conversations->messages("c1", {}).empty());
  EXPECT_TRUE(s.conversations->tool_events(s.ana, 0).empty());
  EXPECT_EQ(s.conversations->message_count("c2"), 2);
  EXPECT_EQ(s.conversations->clear("c1"), 0);

  s.say("c1", "fresh start");
  EXPECT_EQ(s.conversations->find("c1")->message_count, 2);
  EXPECT_EQ(s.conversations->clear_user(s.ana), 4);
  EXPECT_EQ(s.conversations->user_message_count(s.ana), 0);
  EXPECT_EQ(s.conversations->count(s.ana), 2);
}

TEST(SqliteConversationStore, RemoveDeletesMessagesAndToolEvents) {
  Store s;
  s.open("c1", s.ana);
  s.open("c2", s.ana);
  auto t = s.turn("c1", "search the web", "found it");
  t.tool_events = {tool_event("web_search")};
  s.conversations->append_turn(t);
  auto kept = s.turn("c2", "and the wiki", "found that too");
  kept.tool_events = {tool_event("wikipedia")};
  s.conversations->append_turn(kept);

  EXPECT_TRUE(s.conversations->remove("c1"));
  EXPECT_FALSE(s.conversations->find("c1"));
  EXPECT_FALSE(s.conversations->remove("c1"));
  EXPECT_EQ(s.conversations->user_message_count(s.ana), 2);
  auto events = s.conversations->tool_events(s.ana, 0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].tool, "wikipedia");
}

TEST(SqliteConversationStore, UserHistorySpansConversationsAndNoOneElse) {
  Store s;
  s.open("a1", s.ana);
  s.open("b1", s.ben);
  s.open("a2", s.ana);
  s.say("a1", "first");
  s.say("b1", "not ana's");
  s.say("a2", "second");

  auto history = s.conversations->user_messages(s.ana, {10, 0, core::MessageOrder::OldestFirst});
  EXPECT_EQ(s.contents(history), (std::vector<std::string>{"first", "ok", "second", "ok"}));
  EXPECT_EQ(history[0].conversation_id, "a1");
  EXPECT_EQ(history[2].conversation_id, "a2");
  auto newest = s.conversations->user_messages(s.ana, {1, 1, core::MessageOrder::NewestFirst});
  EXPECT_EQ(s.contents(newest), (std::vector<std::string>{"second"}));
  EXPECT_EQ(s.conversations->user_message_count(s.ana), 4);
  EXPECT_EQ(s.conversations->user_message_count(s.ben), 2);
}

core::Character character(const std::string& id, std::int64_t owner, const std::string& name) {
  core::Character c;
  c.id = id;
  c.owner_user_id = owner;
  c.name = name;
  c.created_at = t0;
  c.updated_at = t0;
  return c;
}

TEST(SqliteConversationStore, DeletingAUserRemovesEverythingItOwns) {
  Store s;
  store::sqlite::SqliteCharacterRepository characters(s.db);
  store::sqlite::SqliteUserRepository users(s.db);
  s.open("a1", s.ana);
  s.open("a2", s.ana);
  s.open("b1", s.ben);
  auto t = s.turn("a1", "remind me", "sure");
  t.tool_events = {tool_event("save_memory")};
  s.conversations->append_turn(t);
  s.say("a2", "hello");
  s.say("a2", "again");
  s.say("b1", "ben here");
  characters.save(character("friend", 0, "Shared friend"));
  characters.save(character("friend", s.ana, "Ana's friend"));
  characters.save(character("friend", s.ben, "Ben's friend"));

  auto counts = users.activity_counts(s.ana);
  EXPECT_EQ(counts.conversations, 2);
  EXPECT_EQ(counts.messages, 6);
  auto deleted = users.remove(s.ana);
  EXPECT_EQ(deleted.conversations, 2);
  EXPECT_EQ(deleted.messages, 6);

  EXPECT_FALSE(s.conversations->find("a1"));
  EXPECT_EQ(s.conversations->user_message_count(s.ana), 0);
  EXPECT_TRUE(s.conversations->tool_events(s.ana, 0).empty());
  EXPECT_FALSE(characters.find(s.ana, "friend"));
  EXPECT_EQ(characters.find(0, "friend")->name, "Shared friend");
  EXPECT_EQ(characters.find(s.ben, "friend")->name, "Ben's friend");
  EXPECT_EQ(s.conversations->message_count("b1"), 2);
}

TEST(SqliteConversationStore, CharactersRoundTripEveryField) {
  Store s;
  store::sqlite::SqliteCharacterRepository characters(s.db);
  auto c = character("creative", 0, "Muse");
  c.bot_id = "6f1c2d3e-0000-4000-8000-000000000001";
  c.description = "writes with you";
  c.personality = "playful";
  c.traits = {{"humor", 0.8}, {"empathy", 1}};
  c.speaking_style = "poetic";
  c.interests = {"poetry", "jazz"};
  c.background = "grew up in a library";
  c.system_prompt = "You are Muse.";
  c.language = "fr-FR";
  c.voice_id = "en-us+f3";
  c.video_model = "wav2lip";
  c.avatar_url = "/avatars/muse.png";
  c.capabilities = {"text", "voice"};
  c.model = "ollama/llama3";
  c.temperature = 0.9;
  c.max_tokens = 512;
  c.active = false;
  auto saved = characters.save(c);
  EXPECT_GT(saved.row_id, 0);

  auto found = characters.find(0, "creative");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->row_id, saved.row_id);
  EXPECT_EQ(found->bot_id, c.bot_id);
  EXPECT_EQ(found->description, "writes with you");
  EXPECT_EQ(found->personality, "playful");
  EXPECT_EQ(found->traits, c.traits);
  EXPECT_EQ(found->speaking_style, "poetic");
  EXPECT_EQ(found->interests, c.interests);
  EXPECT_EQ(found->background, "grew up in a library");
  EXPECT_EQ(found->system_prompt, "You are Muse.");
  EXPECT_EQ(found->language, "fr-FR");
  EXPECT_EQ(found->voice_id, "en-us+f3");
  EXPECT_EQ(found->video_model, "wav2lip");
  EXPECT_EQ(found->avatar_url, "/avatars/muse.png");
  EXPECT_EQ(found->capabilities, c.capabilities);
  EXPECT_EQ(found->model, "ollama/llama3");
  EXPECT_EQ(found->temperature, 0.9);
  EXPECT_EQ(found->max_tokens, 512);
  EXPECT_FALSE(found->active);
  EXPECT_EQ(found->created_at, t0);

  EXPECT_EQ(characters.find_by_bot_id(c.bot_id)->id, "creative");
  EXPECT_EQ(characters.find_by_row(saved.row_id)->name, "Muse");
  EXPECT_FALSE(characters.find_by_bot_id("no-such-bot"));
  EXPECT_FALSE(characters.find_by_row(saved.row_id + 100));

  // Saving again updates the same row; creation time stays, optional numbers can be unset.
  c.name = "Muse II";
  c.temperature.reset();
  c.max_tokens.reset();
  c.created_at = t0 + 500;
  c.updated_at = t0 + 500;
  auto updated = characters.save(c);
  EXPECT_EQ(updated.row_id, saved.row_id);
  EXPECT_EQ(updated.name, "Muse II");
  EXPECT_FALSE(updated.temperature);
  EXPECT_FALSE(updated.max_tokens);
  EXPECT_EQ(updated.created_at, t0);
  EXPECT_EQ(updated.updated_at, t0 + 500);
}

TEST(SqliteConversationStore, AUsersCopyShadowsOnlyForThatUser) {
  Store s;
  store::sqlite::SqliteCharacterRepository characters(s.db);
  auto assistant = characters.save(character("assistant", 0, "Assistant"));
  auto shared_friend = characters.save(character("friend", 0, "Friend"));
  // Ana edits the shared friend: her copy, a new row, under the same id.
  auto edit = shared_friend;
  edit.owner_user_id = s.ana;
  edit.name = "Ana's friend";
  auto copy = characters.save(edit);
  auto own = characters.save(character("tutor", s.ana, "Tutor"));
  // Characters without a bot id do not collide on it.
  EXPECT_TRUE(copy.bot_id.empty());

  EXPECT_NE(copy.row_id, shared_friend.row_id);
  EXPECT_EQ(characters.find(0, "friend")->name, "Friend");
  EXPECT_EQ(characters.find(s.ana, "friend")->name, "Ana's friend");
  EXPECT_FALSE(characters.find(s.ben, "friend"));

  auto names = [](const std::vector<core::Character>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(names(characters.list(s.ana)),
            (std::vector<std::string>{"Assistant", "Ana's friend", "Tutor"}));
  EXPECT_EQ(names(characters.list(s.ben)), (std::vector<std::string>{"Assistant", "Friend"}));
  EXPECT_EQ(names(characters.list(0)), (std::vector<std::string>{"Assistant", "Friend"}));

  EXPECT_TRUE(characters.remove(s.ana, "friend"));  // back to the shared one
  EXPECT_FALSE(characters.remove(s.ana, "friend"));
  EXPECT_EQ(names(characters.list(s.ana)),
            (std::vector<std::string>{"Assistant", "Friend", "Tutor"}));
  EXPECT_EQ(assistant.row_id, characters.find(0, "assistant")->row_id);
  EXPECT_EQ(own.owner_user_id, s.ana);
}

TEST(SqliteConversationStore, ABotIdNamesOneCharacter) {
  Store s;
  store::sqlite::SqliteCharacterRepository characters(s.db);
  auto a = character("a", 0, "A");
  a.bot_id = "bot-1";
  characters.save(a);
  auto b = character("b", 0, "B");
  b.bot_id = "bot-1";
  EXPECT_THROW(characters.save(b), DatabaseError);
  EXPECT_FALSE(characters.find(0, "b"));
}

core::Session session(const std::string& id, const std::string& username, std::int64_t at) {
  core::Session v;
  v.id = id;
  v.user_id = username;
  v.client_type = "voice";
  v.created_at = std::chrono::system_clock::time_point(std::chrono::seconds(at));
  v.last_activity = v.created_at;
  return v;
}

TEST(SqliteConversationStore, SessionsAreConversations) {
  Store s;
  store::sqlite::SqliteSessionRepository sessions(s.db);
  sessions.save(session("ana_20240101_0000abcd", "ana", t0 + 10));

  auto as_conversation = s.conversations->find("ana_20240101_0000abcd");
  ASSERT_TRUE(as_conversation);
  EXPECT_EQ(as_conversation->user_id, s.ana);
  EXPECT_EQ(as_conversation->client_type, "voice");
  EXPECT_EQ(as_conversation->created_at, t0 + 10);
  s.say("ana_20240101_0000abcd", "hello over voice");
  s.conversations->set_title("ana_20240101_0000abcd", "Voice chat");

  // Saving the session again (the registry writes through) keeps the conversation's own
  // fields and messages.
  auto later = session("ana_20240101_0000abcd", "ana", t0 + 10);
  later.last_activity += std::chrono::seconds(60);
  sessions.save(later);
  auto again = s.conversations->find("ana_20240101_0000abcd");
  EXPECT_EQ(again->title, "Voice chat");
  EXPECT_EQ(again->message_count, 2);
  EXPECT_EQ(again->last_activity, t0 + 70);

  s.open("chat-1", s.ana, t0 + 20);
  auto as_session = sessions.find("chat-1");
  ASSERT_TRUE(as_session);
  EXPECT_EQ(as_session->user_id, "ana");
  EXPECT_EQ(as_session->client_type, "chattr");
  EXPECT_EQ(as_session->created_at,
            std::chrono::system_clock::time_point(std::chrono::seconds(t0 + 20)));

  sessions.save(session("ben-1", "ben", t0));
  auto all = sessions.list(std::nullopt);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, "ben-1");  // oldest first
  auto anas = sessions.list(std::string("ana"));
  ASSERT_EQ(anas.size(), 2u);
  EXPECT_EQ(anas[0].id, "ana_20240101_0000abcd");
  EXPECT_EQ(anas[1].id, "chat-1");
  EXPECT_TRUE(sessions.list(std::string("nobody")).empty());

  EXPECT_TRUE(sessions.remove("ana_20240101_0000abcd"));
  EXPECT_FALSE(sessions.remove("ana_20240101_0000abcd"));
  EXPECT_FALSE(s.conversations->find("ana_20240101_0000abcd"));
  EXPECT_EQ(s.conversations->user_message_count(s.ana), 0);
}

TEST(SqliteConversationStore, SessionSavesNeedAnExistingOwner) {
  Store s;
  store::sqlite::SqliteSessionRepository sessions(s.db);
  try {
    sessions.save(session("ghost-1", "ghost", t0));
    FAIL() << "a session of an unknown user was saved";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("ghost"), std::string::npos);
  }
  EXPECT_FALSE(sessions.find("ghost-1"));

  sessions.save(session("ana-1", "ana", t0));
  EXPECT_THROW(sessions.save(session("ana-1", "ben", t0)), DatabaseError);
  EXPECT_EQ(sessions.find("ana-1")->user_id, "ana");
}

// Brings a fresh database to `version` only, as an older binary would have left it.
void migrate_up_to(Database& db, int version) {
  db.write([&](Connection& c) {
    c.exec(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const auto& m : store::sqlite::migrations()) {
      if (m.version > version) break;
      c.exec(m.sql);
      auto st = c.prepare("INSERT INTO schema_migrations VALUES (?1, ?2, 0)");
      st.bind(1, m.version).bind(2, m.name);
      st.run();
    }
  });
}

TEST(SqliteConversationStore, MigrationFourKeepsEarlierRowsReadable) {
  companion::testing::TempDir dir;
  auto db = open_database(dir);
  migrate_up_to(*db, 3);
  auto ana = create_user(db, "ana");
  db->write([&](Connection& c) {
    auto session = c.prepare(
        "INSERT INTO sessions (external_id, user_id, client_type, created_at, last_activity) "
        "VALUES ('before', ?1, 'voice', ?2, ?2)");
    session.bind(1, ana).bind(2, t0);
    session.run();
    auto message = c.prepare(
        "INSERT INTO messages (session_id, user_id, role, content, created_at) "
        "VALUES (?1, ?2, 'user', 'said before', ?3)");
    message.bind(1, c.last_insert_rowid()).bind(2, ana).bind(3, t0);
    message.run();
  });

  auto report = store::sqlite::migrate(*db);
  EXPECT_EQ(report.from_version, 3);
  EXPECT_GE(report.to_version, 4);

  store::sqlite::SqliteConversationRepository conversations(db);
  auto before = conversations.find("before");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->message_count, 1);
  EXPECT_EQ(before->title, "");
  auto old = conversations.messages("before", {});
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].content, "said before");
  EXPECT_EQ(old[0].created_at_ms, t0 * 1000);
  EXPECT_EQ(old[0].status, core::TurnStatus::Complete);
  EXPECT_EQ(old[0].id.rfind("msg_", 0), 0u);
  EXPECT_EQ(old[0].metadata_json, "{}");

  store::sqlite::SqliteSessionRepository sessions(db);
  EXPECT_EQ(sessions.find("before")->user_id, "ana");

  core::TurnRecord t;
  t.user.conversation_id = "before";
  t.user.content = "and now";
  t.assistant.role = core::ChatRole::Assistant;
  t.assistant.content = "new rows";
  conversations.append_turn(t);
  EXPECT_EQ(conversations.recent("before", 10).front().content, "said before");
  EXPECT_EQ(conversations.message_count("before"), 3);

  store::sqlite::SqliteUserRepository users(db);
  auto deleted = users.remove(ana);
  EXPECT_EQ(deleted.conversations, 1);
  EXPECT_EQ(deleted.messages, 3);
}

}  // namespace
