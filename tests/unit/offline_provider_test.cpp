// The built-in offline engine as a user of the chat meets it: it greets, says honestly who
// it is, asks for the right tool and then reports what the tool did, answers about the user
// only from what it remembers and about documents with a cited sentence, comforts rather
// than cheers a sad user, and streams its words so that a stop stops them.
#include "providers/llm/offline_provider.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

using namespace companion;
using providers::llm::OfflineProvider;

namespace {

struct Generation {
  core::GenerationResult result;
  std::vector<core::GenerationEvent> events;
};

core::GenerationRequest request_for(const std::string& text, const core::Grounding* grounding) {
  core::GenerationRequest request;
  request.model = "companion";
  request.messages.push_back({core::ChatRole::System, "You are a kind companion."});
  request.messages.push_back({core::ChatRole::User, text});
  request.grounding = grounding;
  return request;
}

Generation generate_all(OfflineProvider& provider, const core::GenerationRequest& request) {
  Generation out;
  out.result = provider.generate(request, [&](const core::GenerationEvent& event) {
    out.events.push_back(event);
    return true;
  });
  return out;
}

std::string reply_to(const std::string& text, const core::Grounding& grounding) {
  OfflineProvider provider;
  return generate_all(provider, request_for(text, &grounding)).result.text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

core::Grounding with_persona(const std::string& name) {
  core::Grounding grounding;
  grounding.persona.name = name;
  return grounding;
}

// Appends the assistant's tool call and the tool's answer, as the turn pipeline does.
core::GenerationRequest after_tool(core::GenerationRequest request, const core::ToolCall& call,
                                   const std::string& result_json) {
  core::ChatMessage assistant{core::ChatRole::Assistant, ""};
  assistant.tool_calls.push_back(call);
  request.messages.push_back(assistant);
  core::ChatMessage tool{core::ChatRole::Tool, result_json};
  tool.tool_call_id = call.id;
  tool.name = call.name;
  request.messages.push_back(tool);
  return request;
}

boost::json::object arguments_of(const core::ToolCall& call) {
  return boost::json::parse(call.arguments_json).as_object();
}

}  // namespace

TEST(OfflineProvider, AGreetingGetsAGreeting) {
  std::string reply = reply_to("hi", with_persona("Luna"));
  bool greets = reply.starts_with("Hi") || reply.starts_with("Hey") || reply.starts_with("Hello") ||
                reply.starts_with("Good");
  EXPECT_TRUE(greets) << reply;
}

TEST(OfflineProvider, WhoAreYouUsesThePersonasNameAndIsHonest) {
  std::string reply = reply_to("who are you?", with_persona("Luna"));
  EXPECT_TRUE(contains(reply, "Luna")) << reply;
  EXPECT_TRUE(contains(reply, "built-in")) << reply;
  EXPECT_TRUE(contains(reply, "not a large language model")) << reply;
}

TEST(OfflineProvider, AreYouHumanIsAnsweredHonestly) {
  std::string reply = reply_to("are you a human?", with_persona("Luna"));
  EXPECT_TRUE(contains(reply, "not a person") || contains(reply, "not a human")) << reply;
}

TEST(OfflineProvider, PlaySomeJazzAsksTheMusicToolAndThenSaysWhatPlays) {
  core::Grounding grounding;
  grounding.tools = {"music_control", "save_memory"};
  OfflineProvider provider;
  auto request = request_for("play some jazz", &grounding);
  Generation first = generate_all(provider, request);
  ASSERT_EQ(first.result.finish, core::FinishReason::ToolCalls);
  ASSERT_EQ(first.result.tool_calls.size(), 1u);
  const core::ToolCall& call = first.result.tool_calls[0];
  EXPECT_EQ(call.name, "music_control");
  EXPECT_TRUE(call.id.starts_with("call_")) << call.id;
  auto args = arguments_of(call);
  EXPECT_EQ(args.at("action").as_string(), "play");
  EXPECT_EQ(args.at("query").as_string(), "jazz");
  EXPECT_TRUE(first.result.text.empty());

  Generation second =
      generate_all(provider, after_tool(request, call,
                                        R"({"ok":true,"action":"play","now_playing":)"
                                        R"({"title":"So What","artist":"Miles Davis"},)"
                                        R"("message":"Playing So What"})"));
  EXPECT_EQ(second.result.finish, core::FinishReason::Stop);
  EXPECT_TRUE(second.result.tool_calls.empty());
  EXPECT_TRUE(contains(second.result.text, "So What by Miles Davis")) << second.result.text;
}

TEST(OfflineProvider, WithoutTheMusicToolNoToolIsCalled) {
  core::Grounding grounding;
  grounding.tools = {"save_memory"};
  OfflineProvider provider;
  Generation reply = generate_all(provider, request_for("play some jazz", &grounding));
  EXPECT_EQ(reply.result.finish, core::FinishReason::Stop);
  EXPECT_TRUE(reply.result.tool_calls.empty());
  EXPECT_TRUE(contains(reply.result.text, "jazz")) << reply.result.text;
}

TEST(OfflineProvider, RememberAsksToSaveTheFactInTheThirdPerson) {
  core::Grounding grounding;
  grounding.tools = {"save_memory", "music_control"};
  OfflineProvider provider;
  auto request = request_for("remember that my sister is called Maya", &grounding);
  Generation first = generate_all(provider, request);
  ASSERT_EQ(first.result.tool_calls.size(), 1u);
  const core::ToolCall& call = first.result.tool_calls[0];
  EXPECT_EQ(call.name, "save_memory");
  auto args = arguments_of(call);
  EXPECT_EQ(args.at("content").as_string(), "User's sister is called Maya");
  EXPECT_EQ(args.at("category").as_string(), "personal");
  double importance = args.at("importance").to_number<double>();
  EXPECT_GT(importance, 0.0);
  EXPECT_LE(importance, 1.0);

  Generation second = generate_all(
      provider, after_tool(request, call,
                           R"({"saved":true,"memory":{"content":)"
                           R"("User's sister is called Maya","category":"personal"}})"));
  EXPECT_TRUE(contains(second.result.text, "I'll remember that your sister is called Maya"))
      << second.result.text;
}

TEST(OfflineProvider, AToolErrorGetsABriefApology) {
  core::Grounding grounding;
  grounding.tools = {"music_control"};
  OfflineProvider provider;
  auto request = request_for("play some jazz", &grounding);
  auto call = generate_all(provider, request).result.tool_calls.at(0);
  Generation reply =
      generate_all(provider, after_tool(request, call, R"({"error":"the player is offline"})"));
  EXPECT_TRUE(contains(reply.result.text, "Sorry")) << reply.result.text;
  EXPECT_TRUE(contains(reply.result.text, "the player is offline")) << reply.result.text;
}

TEST(OfflineProvider, AWikipediaResultIsQuotedWithItsTitle) {
  core::Grounding grounding;
  grounding.tools = {"search_wikipedia"};
  OfflineProvider provider;
  auto request = request_for("what does Wikipedia say about the Eiffel Tower?", &grounding);
  auto call = generate_all(provider, request).result.tool_calls.at(0);
  EXPECT_EQ(call.name, "search_wikipedia");
  Generation reply = generate_all(
      provider, after_tool(request, call,
                           R"({"title":"Eiffel Tower","extract":"The Eiffel Tower is a )"
                           R"(wrought-iron lattice tower in Paris. It is named after Gustave )"
                           R"(Eiffel. It was the tallest structure in the world until 1930.",)"
                           R"("url":"https://en.wikipedia.org/wiki/Eiffel_Tower"})"));
  EXPECT_TRUE(contains(reply.result.text, "lattice tower in Paris")) << reply.result.text;
  EXPECT_TRUE(contains(reply.result.text, "(from Wikipedia: Eiffel Tower)")) << reply.result.text;
  EXPECT_FALSE(contains(reply.result.text, "tallest structure")) << "two sentences at most";
}

TEST(OfflineProvider, AQuestionAboutTheUserIsAnsweredFromTheMemory) {
  core::Grounding grounding;
  grounding.memories = {{"User likes jazz", "preferences", 0.4},
                        {"User's sister is called Maya", "relationships", 0.8}};
  std::string reply = reply_to("what's my sister called?", grounding);
  EXPECT_TRUE(contains(reply, "Maya")) << reply;
  EXPECT_TRUE(contains(reply, "our sister is called Maya")) << reply;
}

TEST(OfflineProvider, WithoutAFittingMemoryNoNameIsInvented) {
  core::Grounding grounding;
  grounding.memories = {{"User likes jazz", "preferences", 0.2}};
  std::string reply = reply_to("what's my sister called?", grounding);
  EXPECT_FALSE(contains(reply, "sister is")) << reply;
  EXPECT_FALSE(contains(reply, "jazz")) << reply;
  EXPECT_TRUE(contains(reply, "tell me") || contains(reply, "Tell me")) << reply;
}

TEST(OfflineProvider, BirthdayAndWorkplaceAreRecalledInTheSecondPerson) {
  core::Grounding grounding;
  grounding.memories = {{"User works at the city library", "work", 0.5},
                        {"The user's birthday is June 15th", "personal", 0.5}};
  std::string birthday = reply_to("when is my birthday", grounding);
  EXPECT_TRUE(contains(birthday, "our birthday is June 15th")) << birthday;
  std::string work = reply_to("do you remember where I work?", grounding);
  EXPECT_TRUE(contains(work, "ou work at the city library")) << work;
}

TEST(OfflineProvider, ADocumentQuestionIsAnsweredWithACitedSentence) {
  core::Grounding grounding;
  core::RetrievedPassage passage;
  passage.text =
      "Thank you for buying the Aurora kettle. Keep it away from children. The warranty lasts "
      "24 months from the date of purchase. Descale the kettle every month.";
  passage.document_title = "handbook.pdf";
  passage.page = 3;
  passage.score = 0.8;
  grounding.passages = {passage};
  std::string reply = reply_to("how long is the warranty?", grounding);
  EXPECT_TRUE(contains(reply, "24 months")) << reply;
  EXPECT_TRUE(contains(reply, "handbook.pdf")) << reply;
  EXPECT_TRUE(contains(reply, "page 3")) << reply;
  EXPECT_FALSE(contains(reply, "Keep it away from children")) << "not the whole passage: " << reply;
}

TEST(OfflineProvider, SadnessGetsComfortNotCheer) {
  core::Grounding grounding;
  grounding.feeling.emotion = "sadness";
  grounding.feeling.sentiment = -0.7;
  grounding.persona.traits["enthusiasm"] = 0.9;
  std::string reply = reply_to("I failed my driving test today", grounding);
  EXPECT_TRUE(contains(reply, "sorry") || contains(reply, "hard")) << reply;
  EXPECT_FALSE(contains(reply, "!")) << reply;
  EXPECT_FALSE(contains(reply, "wonderful") || contains(reply, "great")) << reply;
}

TEST(OfflineProvider, JoyIsShared) {
  core::Grounding grounding;
  grounding.feeling.emotion = "joy";
  grounding.feeling.sentiment = 0.8;
  std::string reply = reply_to("I got the job!", grounding);
  EXPECT_TRUE(contains(reply, "wonderful") || contains(reply, "great") ||
              contains(reply, "happy") || contains(reply, "lovely"))
      << reply;
}

TEST(OfflineProvider, AFormalPersonaSpeaksWithoutContractions) {
  core::Grounding grounding = with_persona("Ambrose");
  grounding.persona.speaking_style = "formal";
  for (const char* message : {"hello", "who are you?", "I went for a walk this morning"}) {
    std::string reply = reply_to(message, grounding);
    EXPECT_FALSE(contains(reply, "I'm") || contains(reply, "you're") || contains(reply, "It's") ||
                 contains(reply, "don't"))
        << reply;
  }
}

TEST(OfflineProvider, StreamedWordsMakeUpTheWholeReply) {
  OfflineProvider provider;
  core::Grounding grounding = with_persona("Luna");
  Generation reply =
      generate_all(provider, request_for("I spent the afternoon painting the fence", &grounding));
  std::string joined;
  for (const auto& event : reply.events) {
    EXPECT_EQ(event.kind, core::GenerationEvent::Kind::TextDelta);
    std::string word = event.text.substr(0, event.text.find_last_not_of(" \n") + 1);
    EXPECT_EQ(word.find(' '), std::string::npos) << "one word per event: " << event.text;
    joined += event.text;
  }
  EXPECT_EQ(joined, reply.result.text);
  EXPECT_GT(reply.events.size(), 3u) << "one event per word";
  EXPECT_TRUE(reply.result.usage_estimated);
  EXPECT_GT(reply.result.usage.prompt_tokens, 0);
  EXPECT_GT(reply.result.usage.completion_tokens, 0);
}

TEST(OfflineProvider, DecliningMoreWordsStopsTheStream) {
  OfflineProvider provider;
  core::Grounding grounding = with_persona("Luna");
  auto request = request_for("who are you?", &grounding);
  std::string full = generate_all(provider, request).result.text;
  std::string received;
  int events = 0;
  auto result = provider.generate(request, [&](const core::GenerationEvent& event) {
    received += event.text;
    return ++events < 3;
  });
  EXPECT_EQ(result.finish, core::FinishReason::Cancelled);
  EXPECT_EQ(events, 3);
  EXPECT_EQ(result.text, received);
  EXPECT_LT(result.text.size(), full.size());
}

TEST(OfflineProvider, CancellingTheTokenMidStreamThrowsCancelled) {
  OfflineProvider provider;
  core::Grounding grounding = with_persona("Luna");
  auto request = request_for("who are you?", &grounding);
  int events = 0;
  try {
    provider.generate(request, [&](const core::GenerationEvent&) {
      if (++events == 2) request.cancellation.cancel();
      return true;
    });
    FAIL() << "expected a cancellation";
  } catch (const core::LlmError& error) {
    EXPECT_EQ(error.kind(), core::LlmError::Kind::cancelled);
    EXPECT_FALSE(error.before_first_token());
  }
  EXPECT_EQ(events, 2);
}

TEST(OfflineProvider, TheSameMessageGetsTheSameReply) {
  core::Grounding grounding = with_persona("Luna");
  EXPECT_EQ(reply_to("I walked the dog by the river", grounding),
            reply_to("I walked the dog by the river", grounding));
}

TEST(OfflineProvider, DifferentMessagesGetDifferentOpenings) {
  core::Grounding grounding = with_persona("Luna");
  std::set<std::string> openings;
  for (const char* message :
       {"I walked the dog by the river", "We had pasta for dinner tonight",
        "My brother visited us this weekend", "I cleaned the kitchen this morning",
        "The train was late again", "I started reading a new novel"}) {
    std::string reply = reply_to(message, grounding);
    openings.insert(reply.substr(0, reply.find(' ', reply.find(' ') + 1)));
  }
  EXPECT_GE(openings.size(), 3u);
}

TEST(OfflineProvider, NeverClaimsToBeALanguageModel) {
  core::Grounding grounding = with_persona("Luna");
  grounding.tools = {"web_search"};
  for (const char* message :
       {"who are you?", "are you an AI?", "what are you?", "what can you do?", "hi",
        "what's the capital of Peru?", "do you like music?", "I feel lonely", "thanks!"}) {
    std::string reply = reply_to(message, grounding);
    std::size_t at = reply.find("language model");
    if (at == std::string::npos) continue;
    EXPECT_TRUE(contains(reply, "not a large language model")) << reply;
  }
}

TEST(OfflineProvider, WorksWithoutAnyGrounding) {
  OfflineProvider provider;
  Generation reply = generate_all(provider, request_for("play some jazz", nullptr));
  EXPECT_EQ(reply.result.finish, core::FinishReason::Stop);
  EXPECT_FALSE(reply.result.text.empty());
}

TEST(OfflineProvider, ItsModelSaysWhatItIs) {
  OfflineProvider provider;
  auto models = provider.models();
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].id, "offline/companion");
  EXPECT_EQ(models[0].provider, "offline");
  EXPECT_TRUE(contains(models[0].description, "built-in offline engine"));
  EXPECT_TRUE(contains(models[0].description, "not a large language model"));
  EXPECT_EQ(provider.name(), "offline");
}
