// The turn pipeline on a real store with a scripted model: what a turn stores, how the tool
// loop feeds results back, and what cancellation and a failing model leave behind.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "core/affect/emotion.hpp"
#include "core/characters/character_service.hpp"
#include "core/conversation/conversation_service.hpp"
#include "core/conversation/intent_detector.hpp"
#include "core/conversation/stage_statistics.hpp"
#include "core/conversation/tool_registry.hpp"
#include "core/conversation/turn_stream.hpp"
#include "core/llm/model_router.hpp"
#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/character_repository.hpp"
#include "store/sqlite/conversation_repository.hpp"
#include "store/sqlite/migrations.hpp"
#include "support/test_server.hpp"

namespace {

using namespace companion;
using core::ChatRole;

// A model that answers from a script: each call takes the next step.
class ScriptedModel final : public core::LlmProvider {
 public:
  struct Step {
    std::vector<std::string> words;
    std::vector<core::ToolCall> calls;
    bool fail = false;
    bool wait_for_cancel = false;  // streams its words, then blocks until cancelled
  };
  std::vector<Step> steps;
  std::vector<core::GenerationRequest> seen;
  std::atomic<bool> streaming{false};

  std::string_view name() const override { return "scripted"; }
  std::vector<core::ModelInfo> models() const override {
    return {{"scripted/test", "scripted", "tests", "a scripted model"}};
  }
  core::GenerationResult generate(const core::GenerationRequest& request,
                                  const core::GenerationCallback& on_event) override {
    seen.push_back(request);
    auto step = steps.at(seen.size() - 1);
    if (step.fail) throw core::LlmError(core::LlmError::Kind::unavailable, "model down");
    core::GenerationResult result;
    for (const auto& word : step.words) {
      core::GenerationEvent event;
      event.text = word;
      result.text += word;
      if (!on_event(event)) {
        result.finish = core::FinishReason::Cancelled;
        return result;
      }
    }
    if (step.wait_for_cancel) {
      streaming = true;
      while (!request.cancellation.cancelled())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      throw core::LlmError(core::LlmError::Kind::cancelled, "cancelled", false);
    }
    result.tool_calls = step.calls;
    result.finish = step.calls.empty() ? core::FinishReason::Stop : core::FinishReason::ToolCalls;
    result.usage = {10, static_cast<std::int64_t>(step.words.size())};
    return result;
  }
};

class EchoTool final : public core::Tool {
 public:
  EchoTool() { schema_.name = "echo"; }
  const core::ToolSchema& schema() const override { return schema_; }
  std::string invoke(const core::ToolContext& context, std::string_view args) override {
    if (args.find("boom") != std::string_view::npos) throw core::ToolError("it broke");
    return R"({"echoed":true})";
  }
  core::ToolSchema schema_;
};

struct Pipeline {
  companion::testing::TempDir dir;
  std::shared_ptr<store::sqlite::Database> db =
      std::make_shared<store::sqlite::Database>((dir.path() / "t.db").string());
  std::shared_ptr<ScriptedModel> model = std::make_shared<ScriptedModel>();
  std::shared_ptr<store::sqlite::SqliteConversationRepository> store;
  std::shared_ptr<core::StageStatistics> stages = std::make_shared<core::StageStatistics>();
  std::unique_ptr<core::ConversationService> service;
  std::int64_t user = 0;

  Pipeline() {
    store::sqlite::migrate(*db);
    store = std::make_shared<store::sqlite::SqliteConversationRepository>(db);
    core::NewUser u;
    u.username = "ana";
    user = store::sqlite::SqliteUserRepository(db).create(u, 1)->id;
    auto characters = std::make_shared<core::CharacterService>(
        std::make_shared<store::sqlite::SqliteCharacterRepository>(db));
    characters->seed_defaults();
    auto tools = std::make_shared<core::ToolRegistry>();
    tools->add(std::make_shared<EchoTool>());
    core::ConversationPorts ports;
    ports.conversations = store;
    ports.characters = characters;
    ports.models = std::make_shared<core::ModelRouter>(
        "scripted/test", std::vector<std::shared_ptr<core::LlmProvider>>{model});
    ports.emotions = std::make_shared<core::EmotionAnalyzer>();
    ports.intents = std::make_shared<core::IntentDetector>();
    ports.tools = tools;
    ports.stages = stages;
    service = std::make_unique<core::ConversationService>(ports);
  }

  core::TurnRequest request(std::string text) {
    core::TurnRequest r;
    r.user_id = user;
    r.username = "ana";
    r.conversation_id = "conv-1";
    r.text = std::move(text);
    return r;
  }
};

class Recorder final : public core::TurnObserver {
 public:
  std::string text;
  std::vector<core::ToolActivity> tools;
  int starts = 0, ends = 0;
  void on_start(const core::TurnStart&) override { ++starts; }
  void on_text(std::string_view delta) override { text += delta; }
  void on_tool(const core::ToolActivity& a) override { tools.push_back(a); }
  void on_end(const core::TurnResult&) override { ++ends; }
};

}  // namespace

TEST(ConversationService, ATurnIsStoredWithItsAnalysisAndStreamedOnce) {
  Pipeline p;
  p.model->steps = {{{"Hello ", "there!"}}};
  Recorder recorder;
  auto result = p.service->run_turn(p.request("I'm so happy today!"), recorder);
  EXPECT_EQ(result.status, core::TurnStatus::Complete);
  EXPECT_EQ(result.reply, "Hello there!");
  EXPECT_EQ(recorder.text, "Hello there!");
  EXPECT_EQ(recorder.starts, 1);
  EXPECT_EQ(recorder.ends, 1);
  EXPECT_EQ(result.user_emotion.primary, "joy");
  auto stored = p.store->messages("conv-1", {});
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].role, ChatRole::User);
  EXPECT_EQ(stored[0].emotion, "joy");
  EXPECT_EQ(stored[1].content, "Hello there!");
  EXPECT_EQ(stored[1].model, "scripted/test");
  EXPECT_EQ(stored[0].turn_id, stored[1].turn_id);
  // The prompt began with the character's instructions and ended with the message.
  const auto& prompt = p.model->seen[0].messages;
  EXPECT_EQ(prompt.front().role, ChatRole::System);
  EXPECT_NE(prompt.front().content.find("Friend"), std::string::npos);
  EXPECT_EQ(prompt.back().content, "I'm so happy today!");
}

TEST(ConversationService, TheLanguageAClientAsksForReachesTheModelsInstructions) {
  Pipeline p;
  p.model->steps = {{{"Bonjour !"}}};
  Recorder recorder;
  auto request = p.request("Hello!");
  request.reply_language = "fr";
  p.service->run_turn(std::move(request), recorder);
  const auto& prompt = p.model->seen[0].messages;
  ASSERT_FALSE(prompt.empty());
  EXPECT_NE(prompt.front().content.find("Answer in this language: fr."), std::string::npos)
      << prompt.front().content;
}

TEST(ConversationService, TheNextTurnSeesTheHistory) {
  Pipeline p;
  p.model->steps = {{{"First answer."}}, {{"Second answer."}}};
  Recorder r1, r2;
  p.service->run_turn(p.request("first question"), r1);
  p.service->run_turn(p.request("second question"), r2);
  const auto& prompt = p.model->seen[1].messages;
  ASSERT_GE(prompt.size(), 4u);
  EXPECT_EQ(prompt[prompt.size() - 3].content, "first question");
  EXPECT_EQ(prompt[prompt.size() - 2].content, "First answer.");
}

TEST(ConversationService, ToolResultsGoBackToTheModelAndAreRecorded) {
  Pipeline p;
  p.model->steps = {{{}, {{"call_1", "echo", R"({"x":1})"}, {"call_2", "echo", R"({"x":"boom"})"}}},
                    {{"Done."}}};
  Recorder recorder;
  auto result = p.service->run_turn(p.request("use the tool"), recorder);
  EXPECT_EQ(result.reply, "Done.");
  ASSERT_EQ(result.tools.size(), 2u);
  EXPECT_EQ(result.tools[0].phase, core::ToolActivity::Phase::Finished);
  EXPECT_EQ(result.tools[1].phase, core::ToolActivity::Phase::Failed);
  EXPECT_EQ(result.tools[1].error, "it broke");
  EXPECT_EQ(recorder.tools.size(), 4u);  // started and ended, twice
  // The second call of the model saw the assistant's calls and both results.
  const auto& second = p.model->seen[1].messages;
  ASSERT_GE(second.size(), 3u);
  EXPECT_EQ(second[second.size() - 3].tool_calls.size(), 2u);
  EXPECT_EQ(second[second.size() - 2].content, R"({"echoed":true})");
  EXPECT_NE(second.back().content.find("it broke"), std::string::npos);
  auto events = p.store->tool_events(p.user, 0);
  EXPECT_EQ(events.size(), 2u);
}

TEST(ConversationService, AFailingModelStoresAFailedTurn) {
  Pipeline p;
  p.model->steps = {{{}, {}, true}};
  Recorder recorder;
  auto result = p.service->run_turn(p.request("hello?"), recorder);
  EXPECT_EQ(result.status, core::TurnStatus::Failed);
  EXPECT_NE(result.error.find("model down"), std::string::npos);
  EXPECT_EQ(recorder.ends, 1);
  auto stored = p.store->messages("conv-1", {});
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].status, core::TurnStatus::Failed);
  auto stats = p.stages->snapshot();
  auto generation = std::find_if(stats.begin(), stats.end(),
                                 [](const auto& s) { return s.stage == "generation"; });
  ASSERT_NE(generation, stats.end());
  EXPECT_EQ(generation->failures, 1);
}

TEST(ConversationService, ACancelledTurnKeepsWhatWasStreamedAsInterrupted) {
  Pipeline p;
  p.model->steps = {{{"Once ", "upon ", "a "}, {}, false, true}};
  auto request = p.request("tell me a story");
  auto token = request.cancellation;
  Recorder recorder;
  std::thread canceller([&] {
    while (!p.model->streaming) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    token.cancel();
  });
  auto result = p.service->run_turn(request, recorder);
  canceller.join();
  EXPECT_EQ(result.status, core::TurnStatus::Interrupted);
  EXPECT_EQ(result.reply, "Once upon a ");
  auto stored = p.store->messages("conv-1", {});
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].content, "Once upon a ");
  EXPECT_EQ(stored[1].status, core::TurnStatus::Interrupted);
}

TEST(ConversationService, AnotherUsersConversationIsRefused) {
  Pipeline p;
  p.model->steps = {{{"Hi."}}};
  Recorder recorder;
  p.service->run_turn(p.request("hello"), recorder);
  core::NewUser other;
  other.username = "ben";
  auto ben = store::sqlite::SqliteUserRepository(p.db).create(other, 1)->id;
  auto request = p.request("let me in");
  request.user_id = ben;
  try {
    p.service->prepare(request);
    FAIL() << "another user's conversation was opened";
  } catch (const core::TurnRefused& refused) {
    EXPECT_EQ(refused.reason(), core::TurnRefused::Reason::ConversationOfAnotherUser);
  }
  EXPECT_THROW(p.service->prepare(p.request("   ")), core::TurnRefused);
  auto unknown = p.request("hi");
  unknown.character_id = "nobody";
  EXPECT_THROW(p.service->prepare(unknown), core::TurnRefused);
}

TEST(TurnStream, ASubscriberGetsWhatItMissedThenTheRestLive) {
  core::TurnStreams streams;
  auto stream = streams.begin("conv", 7, {});
  stream->on_text("a");
  stream->on_text("b");
  stream->on_text("c");
  std::vector<std::string> got;
  auto sub = stream->subscribe(1, [&](const core::StreamEvent& e) { got.push_back(e.text); });
  EXPECT_EQ(got, (std::vector<std::string>{"b", "c"}));
  stream->on_text("d");
  EXPECT_EQ(got.back(), "d");
  auto parsed = core::parse_stream_event_id(stream->turn_id() + ":3");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->second, 3u);
  EXPECT_EQ(streams.by_turn(parsed->first), stream);
  EXPECT_FALSE(core::parse_stream_event_id("nonsense"));
}

TEST(TurnStream, AnAbandonedTurnIsCancelledAfterTheGracePeriod) {
  core::TurnStreamSettings settings;
  settings.abandon_grace = std::chrono::milliseconds(100);
  core::TurnStreams streams(settings);
  core::CancellationToken token;
  auto stream = streams.begin("conv", 7, token);
  {
    auto sub = stream->subscribe(0, [](const core::StreamEvent&) {});
  }  // the only client left
  auto now = std::chrono::steady_clock::now();
  EXPECT_EQ(streams.sweep(now), 0u);  // still within the grace period
  EXPECT_FALSE(token.cancelled());
  EXPECT_EQ(streams.sweep(now + std::chrono::seconds(1)), 1u);
  EXPECT_TRUE(token.cancelled());
}

TEST(TurnStream, ATurnNobodyEverFollowedIsCancelledAfterTheGracePeriod) {
  core::TurnStreamSettings settings;
  settings.abandon_grace = std::chrono::milliseconds(100);
  core::TurnStreams streams(settings);
  core::CancellationToken token;
  auto stream = streams.begin("conv", 7, token);  // its client left before subscribing
  auto now = std::chrono::steady_clock::now();
  EXPECT_EQ(streams.sweep(now), 0u);
  EXPECT_EQ(streams.sweep(now + std::chrono::seconds(1)), 1u);
  EXPECT_TRUE(token.cancelled());
}

TEST(TurnStream, AClientThatComesBackInTimeKeepsTheTurnAlive) {
  core::TurnStreamSettings settings;
  settings.abandon_grace = std::chrono::milliseconds(100);
  core::TurnStreams streams(settings);
  core::CancellationToken token;
  auto stream = streams.begin("conv", 7, token);
  {
    auto first = stream->subscribe(0, [](const core::StreamEvent&) {});
  }
  auto back = stream->subscribe(0, [](const core::StreamEvent&) {});
  EXPECT_EQ(streams.sweep(std::chrono::steady_clock::now() + std::chrono::seconds(1)), 0u);
  EXPECT_FALSE(token.cancelled());
}

TEST(TurnStream, AHandlerMayEndItsOwnSubscription) {
  core::TurnStreams streams;
  auto stream = streams.begin("conv", 7, {});
  core::TurnStream::Subscription sub;
  int calls = 0;
  sub = stream->subscribe(0, [&](const core::StreamEvent&) {
    ++calls;
    sub = core::TurnStream::Subscription();  // a socket closing as it is written to
  });
  stream->on_text("x");
  stream->on_text("y");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(stream->subscribers(), 0u);
}
