// Ollama's native chat adapter against a scripted server: NDJSON lines split across reads,
// whole tool calls with object arguments, the final line's reason and counts, the request
// body it posts, and errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <future>
#include <regex>

#include "providers/llm/ollama_provider.hpp"
#include "support/fake_http_server.hpp"

using namespace std::chrono_literals;
namespace json = boost::json;
using companion::core::ChatRole;
using companion::core::FinishReason;
using companion::core::GenerationEvent;
using companion::core::GenerationRequest;
using companion::core::LlmError;
using companion::core::ToolCall;
using companion::providers::OllamaProvider;
using companion::providers::OllamaProviderOptions;
using companion::testing::FakeConnection;
using companion::testing::FakeHttpServer;
using Kind = LlmError::Kind;

namespace {

const std::string kNdjsonHead = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n";

OllamaProviderOptions options_for(const FakeHttpServer& server) {
  OllamaProviderOptions options;
  options.base_url = server.url();
  options.models = {"llama3.2"};
  options.connect_timeout = 2s;
  return options;
}

GenerationRequest chat_request(std::string text = "Hi there") {
  GenerationRequest request;
  request.model = "llama3.2";
  request.messages.push_back({ChatRole::User, std::move(text)});
  request.first_token_timeout = 3s;
  request.deadline = 10s;
  return request;
}

std::string text_line(std::string_view text) {
  json::object message{{"role", "assistant"}, {"content", text}};
  json::object line{{"model", "llama3.2:latest"},
                    {"created_at", "2024-07-01T10:00:00Z"},
                    {"message", std::move(message)},
                    {"done", false}};
  return json::serialize(line) + "\n";
}

std::string final_line(std::string_view reason, int prompt, int completion) {
  json::object line{{"model", "llama3.2:latest"},
                    {"message", json::object{{"role", "assistant"}, {"content", ""}}},
                    {"done", true},
                    {"done_reason", reason},
                    {"total_duration", 123456789},
                    {"prompt_eval_count", prompt},
                    {"eval_count", completion}};
  return json::serialize(line) + "\n";
}

void send_cut(FakeConnection& c, const std::string& stream, std::vector<std::size_t> cuts) {
  std::sort(cuts.begin(), cuts.end());
  std::size_t start = 0;
  for (auto cut : cuts) {
    c.send_pieces({std::string_view(stream).substr(start, cut - start)});
    start = cut;
  }
  c.send(std::string_view(stream).substr(start));
}

template <class Call>
LlmError failure_of(Call call) {
  try {
    call();
  } catch (const LlmError& e) {
    return e;
  }
  ADD_FAILURE() << "the generation succeeded";
  return LlmError(Kind::unknown_model, "no failure");
}

bool keep_going(const GenerationEvent&) {
  return true;
}

}  // namespace

TEST(OllamaProvider, NdjsonSplitAcrossReadsYieldsTextReasonAndCounts) {
  std::string stream = kNdjsonHead + text_line("Grüß") + text_line(" dich 🎉") + text_line("!") +
                       final_line("stop", 26, 4);
  std::vector<std::size_t> cuts{
      stream.find("Grüß") + 3,              // inside ü
      stream.find("🎉") + 1,                 // inside the emoji
      stream.find("\n", stream.find("🎉")),  // just before a line's \n
      stream.find("\"done\":true") + 4,     // inside a key
      stream.find("eval_count") + 2,
  };
  FakeHttpServer server([&](FakeConnection& c) { send_cut(c, stream, cuts); });
  OllamaProvider provider(options_for(server));
  std::vector<std::string> texts;
  std::vector<GenerationEvent> usage_events;
  auto result = provider.generate(chat_request(), [&](const GenerationEvent& e) {
    if (e.kind == GenerationEvent::Kind::TextDelta) texts.push_back(e.text);
    if (e.kind == GenerationEvent::Kind::Usage) usage_events.push_back(e);
    return true;
  });
  EXPECT_EQ(texts, (std::vector<std::string>{"Grüß", " dich 🎉", "!"}));
  EXPECT_EQ(result.text, "Grüß dich 🎉!");
  EXPECT_EQ(result.finish, FinishReason::Stop);
  EXPECT_EQ(result.model, "llama3.2:latest");
  EXPECT_FALSE(result.usage_estimated);
  EXPECT_EQ(result.usage.prompt_tokens, 26);
  EXPECT_EQ(result.usage.completion_tokens, 4);
  ASSERT_EQ(usage_events.size(), 1u);
  EXPECT_EQ(usage_events[0].usage.total(), 30);
}

TEST(OllamaProvider, ToolCallsGetIdsAndTheirArgumentsAsJsonText) {
  json::object call{
      {"function", json::object{{"name", "get_weather"},
                                {"arguments", json::object{{"city", "Paris"}, {"days", 2}}}}}};
  json::object line{{"model", "llama3.2"},
                    {"message", json::object{{"role", "assistant"},
                                             {"content", ""},
                                             {"tool_calls", json::array{call, call}}}},
                    {"done", false}};
  std::string stream = kNdjsonHead + json::serialize(line) + "\n" + final_line("stop", 100, 20);
  FakeHttpServer server(
      [&](FakeConnection& c) { send_cut(c, stream, {stream.find("Paris") + 2}); });
  OllamaProvider provider(options_for(server));
  std::vector<GenerationEvent> call_events;
  auto result = provider.generate(chat_request(), [&](const GenerationEvent& e) {
    if (e.kind == GenerationEvent::Kind::ToolCallDelta) call_events.push_back(e);
    return true;
  });
  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_TRUE(std::regex_match(result.tool_calls[0].id, std::regex("call_[0-9a-f]{24}")))
      << result.tool_calls[0].id;
  EXPECT_NE(result.tool_calls[0].id, result.tool_calls[1].id);
  EXPECT_EQ(result.tool_calls[0].name, "get_weather");
  EXPECT_EQ(json::parse(result.tool_calls[0].arguments_json),
            json::parse(R"({"city":"Paris","days":2})"));
  // Ollama says "stop" even when it asked for tools; the caller must answer the calls.
  EXPECT_EQ(result.finish, FinishReason::ToolCalls);
  ASSERT_EQ(call_events.size(), 2u);
  EXPECT_EQ(call_events[1].tool_index, 1);
  EXPECT_EQ(call_events[1].tool_call_id, result.tool_calls[1].id);
  EXPECT_EQ(call_events[1].tool_name, "get_weather");
}

TEST(OllamaProvider, PostsNativeChatBodyWithObjectArgumentsAndOptions) {
  std::promise<std::string> seen_target;
  std::promise<std::string> seen_body;
  FakeHttpServer server([&](FakeConnection& c) {
    seen_target.set_value(c.method() + " " + c.target());
    seen_body.set_value(c.body());
    c.send(kNdjsonHead + text_line("ok") + final_line("stop", 1, 1));
  });
  OllamaProvider provider(options_for(server));
  auto request = chat_request();
  request.messages = {
      {ChatRole::System, "Be brief."},
      {ChatRole::User, "Weather in Paris?"},
      {ChatRole::Assistant, "", {ToolCall{"call_1", "get_weather", R"({"city":"Paris"})"}}},
      {ChatRole::Tool, "21 degrees", {}, "call_1", "get_weather"},
  };
  request.tools = {{"get_weather", "Current weather", R"({"type":"object","properties":{}})"}};
  request.temperature = 0.5;
  request.max_tokens = 32;
  auto result = provider.generate(request, keep_going);
  EXPECT_EQ(result.text, "ok");

  EXPECT_EQ(seen_target.get_future().get(), "POST /api/chat");
  auto body = json::parse(seen_body.get_future().get()).as_object();
  EXPECT_EQ(body.at("model"), "llama3.2");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("options").at("temperature").as_double(), 0.5);
  EXPECT_EQ(body.at("options").at("num_predict").to_number<int>(), 32);
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  const auto& call = messages[2].at("tool_calls").as_array().at(0);
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  EXPECT_EQ(call.at("function").at("arguments").at("city"), "Paris");  // an object
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("tool_name"), "get_weather");
  EXPECT_EQ(body.at("tools").as_array().at(0).at("function").at("name"), "get_weather");
}

TEST(OllamaProvider, LengthLimitIsReported) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kNdjsonHead + text_line("cut") + final_line("length", 5, 1));
  });
  OllamaProvider provider(options_for(server));
  auto result = provider.generate(chat_request(), keep_going);
  EXPECT_EQ(result.finish, FinishReason::Length);
}

TEST(OllamaProvider, MissingModelIsBadRequestWithOllamasMessage) {
  FakeHttpServer server([](FakeConnection& c) {
    std::string body = R"({"error":"model \"nope\" not found, try pulling it first"})";
    c.send("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  OllamaProvider provider(options_for(server));
  auto error = failure_of([&] { provider.generate(chat_request(), keep_going); });
  EXPECT_EQ(error.kind(), Kind::bad_request);
  EXPECT_NE(std::string(error.what()).find("not found, try pulling it first"), std::string::npos)
      << error.what();
}

TEST(OllamaProvider, ErrorLineInTheStreamIsBadResponse) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kNdjsonHead + text_line("so far") + R"({"error":"out of memory"})" + "\n");
  });
  OllamaProvider provider(options_for(server));
  auto error = failure_of([&] { provider.generate(chat_request(), keep_going); });
  EXPECT_EQ(error.kind(), Kind::bad_response);
  EXPECT_FALSE(error.before_first_token());
  EXPECT_NE(std::string(error.what()).find("out of memory"), std::string::npos);
}

TEST(OllamaProvider, StreamWithoutItsFinalLineIsBadResponse) {
  FakeHttpServer server([](FakeConnection& c) { c.send(kNdjsonHead + text_line("half")); });
  OllamaProvider provider(options_for(server));
  auto error = failure_of([&] { provider.generate(chat_request(), keep_going); });
  EXPECT_EQ(error.kind(), Kind::bad_response);
}

TEST(OllamaProvider, ServerErrorIsUnavailable) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
  });
  OllamaProvider provider(options_for(server));
  EXPECT_EQ(failure_of([&] { provider.generate(chat_request(), keep_going); }).kind(),
            Kind::unavailable);
}

TEST(OllamaProvider, CallbackReturningFalseStopsAndClosesTheConnection) {
  std::promise<bool> server_saw_close;
  FakeHttpServer server([&server_saw_close](FakeConnection& c) {
    c.send(kNdjsonHead + text_line("Once"));
    server_saw_close.set_value(c.wait_for_close(5s));
  });
  OllamaProvider provider(options_for(server));
  auto result = provider.generate(chat_request(), [](const GenerationEvent&) { return false; });
  EXPECT_EQ(result.finish, FinishReason::Cancelled);
  EXPECT_EQ(result.text, "Once");
  EXPECT_TRUE(server_saw_close.get_future().get());
}

TEST(OllamaProvider, ListsItsModelsWithTheProviderPrefix) {
  OllamaProviderOptions options;
  options.models = {"llama3.2", "qwen2.5:7b"};
  OllamaProvider provider(options);
  auto models = provider.models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[1].id, "ollama/qwen2.5:7b");
  EXPECT_EQ(models[1].provider, "ollama");
}
