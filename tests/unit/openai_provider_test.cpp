// The OpenAI-compatible adapter against a scripted server speaking the real wire protocol:
// SSE streams split at awkward bytes, tool calls in fragments, usage, the request it posts,
// error statuses, resets, stalls, malformed events and both ways of stopping a generation.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <future>
#include <thread>

#include "providers/llm/openai_provider.hpp"
#include "providers/llm/sse_decoder.hpp"
#include "support/fake_http_server.hpp"

using namespace std::chrono_literals;
namespace json = boost::json;
using companion::core::ChatMessage;
using companion::core::ChatRole;
using companion::core::FinishReason;
using companion::core::GenerationEvent;
using companion::core::GenerationRequest;
using companion::core::GenerationResult;
using companion::core::LlmError;
using companion::core::ToolCall;
using companion::providers::OpenAiProvider;
using companion::providers::OpenAiProviderOptions;
using companion::providers::SseDecoder;
using companion::testing::FakeConnection;
using companion::testing::FakeHttpServer;
using Kind = LlmError::Kind;

namespace {

const std::string kSseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

OpenAiProviderOptions options_for(const FakeHttpServer& server) {
  OpenAiProviderOptions options;
  options.base_url = server.url("/v1");
  options.api_key = "sk-test";
  options.models = {"gpt-test"};
  options.connect_timeout = 2s;
  return options;
}

GenerationRequest chat_request(std::string text = "Hi there") {
  GenerationRequest request;
  request.model = "gpt-test";
  request.messages.push_back({ChatRole::User, std::move(text)});
  request.first_token_timeout = 3s;
  request.deadline = 10s;
  return request;
}

std::string event(const json::value& data, std::string_view end = "\n\n") {
  return "data: " + json::serialize(data) + std::string(end);
}

// A chunk whose first choice's delta holds `delta`, with an optional finish reason.
std::string delta_event(json::object delta, const char* finish = nullptr,
                        std::string_view end = "\n\n") {
  json::object choice;
  choice["index"] = 0;
  choice["delta"] = std::move(delta);
  choice["finish_reason"] = finish ? json::value(finish) : json::value(nullptr);
  json::object chunk;
  chunk["id"] = "chatcmpl-1";
  chunk["object"] = "chat.completion.chunk";
  chunk["model"] = "gpt-test-0613";
  chunk["choices"] = json::array{std::move(choice)};
  return event(chunk, end);
}

std::string text_event(std::string_view text, std::string_view end = "\n\n") {
  return delta_event({{"content", text}}, nullptr, end);
}

std::string usage_event(int prompt, int completion) {
  return event(json::parse(R"({"id":"chatcmpl-1","object":"chat.completion.chunk",
      "model":"gpt-test-0613","choices":[],"usage":{"prompt_tokens":)" +
                           std::to_string(prompt) + R"(,"completion_tokens":)" +
                           std::to_string(completion) + R"(,"total_tokens":0}})"));
}

const std::string kDone = "data: [DONE]\n\n";

// Writes `stream` in pieces that end at each of `cuts` (byte offsets), so that the client's
// reads split exactly there.
void send_cut(FakeConnection& c, const std::string& stream, std::vector<std::size_t> cuts) {
  std::sort(cuts.begin(), cuts.end());
  std::size_t start = 0;
  for (auto cut : cuts) {
    c.send_pieces({std::string_view(stream).substr(start, cut - start)});
    start = cut;
  }
  c.send(std::string_view(stream).substr(start));
}

struct Recorder {
  std::vector<GenerationEvent> events;
  bool operator()(const GenerationEvent& e) {
    events.push_back(e);
    return true;
  }
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& e : events)
      if (e.kind == GenerationEvent::Kind::TextDelta) out.push_back(e.text);
    return out;
  }
  std::string text() const {
    std::string out;
    for (const auto& piece : texts()) out += piece;
    return out;
  }
};

// The error a generation fails with; fails the test when it succeeds.
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

std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);  // nothing listens there any more
  return ntohs(address.sin_port);
}

}  // namespace

TEST(OpenAiProvider, StreamSplitAtAwkwardBytesYieldsExactlyTheText) {
  // "é" is two bytes, "😀" four; the cuts fall inside both, inside "data:", inside a JSON
  // string, and between the \r and \n of a CRLF event end.
  std::string stream = kSseHead + ": keep-alive comment\n\n" + text_event("Hé") +
                       text_event("llo ", "\r\n\r\n") + text_event("😀") + text_event(" wörld") +
                       delta_event({}, "stop") + usage_event(12, 5) + kDone;
  std::vector<std::size_t> cuts;
  cuts.push_back(stream.find("Hé") + 2);                       // inside é
  cuts.push_back(stream.find("😀") + 2);                        // inside the emoji
  cuts.push_back(stream.find("\r\n\r\n") + 1);                 // between \r and \n
  cuts.push_back(stream.find("\r\n\r\n") + 3);                 // and the next pair
  cuts.push_back(stream.find("data:", stream.find("😀")) + 2);  // inside "data:"
  cuts.push_back(stream.find("chat.completion.chunk") + 5);    // inside a JSON string
  cuts.push_back(stream.find("[DONE]") + 3);                   // inside [DONE]
  FakeHttpServer server([&](FakeConnection& c) { send_cut(c, stream, cuts); });
  OpenAiProvider provider(options_for(server));
  Recorder recorder;
  auto result = provider.generate(chat_request(), std::ref(recorder));

  EXPECT_EQ(recorder.texts(), (std::vector<std::string>{"Hé", "llo ", "😀", " wörld"}));
  EXPECT_EQ(result.text, "Héllo 😀 wörld");
  EXPECT_EQ(result.finish, FinishReason::Stop);
  EXPECT_EQ(result.model, "gpt-test-0613");
  EXPECT_FALSE(result.usage_estimated);
  EXPECT_EQ(result.usage.prompt_tokens, 12);
  EXPECT_EQ(result.usage.completion_tokens, 5);
  ASSERT_FALSE(recorder.events.empty());
  EXPECT_EQ(recorder.events.back().kind, GenerationEvent::Kind::Usage);
  EXPECT_EQ(recorder.events.back().usage.total(), 17);
}

TEST(OpenAiProvider, StreamedToolCallsAreAssembledAcrossChunks) {
  auto call_piece = [](int index, const char* id, const char* name, std::string_view args) {
    json::object function;
    if (name) function["name"] = name;
    function["arguments"] = args;
    json::object call;
    call["index"] = index;
    if (id) {
      call["id"] = id;
      call["type"] = "function";
    }
    call["function"] = std::move(function);
    return delta_event({{"tool_calls", json::array{std::move(call)}}});
  };
  std::string stream = kSseHead + delta_event({{"role", "assistant"}, {"content", nullptr}}) +
                       call_piece(0, "call_weather", "get_weather", "") +
                       call_piece(0, nullptr, nullptr, R"({"city":)") +
                       call_piece(0, nullptr, nullptr, R"( "Zürich"})") +
                       call_piece(1, "call_time", "get_time", R"({"tz":"Europe/)") +
                       call_piece(1, nullptr, nullptr, R"(Zurich"})") +
                       delta_event({}, "tool_calls") + kDone;
  std::vector<std::size_t> cuts{stream.find("Zürich") + 2, stream.find("get_time") + 4,
                                stream.find("Europe/") + 3};
  FakeHttpServer server([&](FakeConnection& c) { send_cut(c, stream, cuts); });
  OpenAiProvider provider(options_for(server));
  Recorder recorder;
  auto result = provider.generate(chat_request("Weather and time in Zürich?"), std::ref(recorder));

  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_EQ(result.tool_calls[0].id, "call_weather");
  EXPECT_EQ(result.tool_calls[0].name, "get_weather");
  EXPECT_EQ(result.tool_calls[0].arguments_json, R"({"city": "Zürich"})");
  EXPECT_EQ(result.tool_calls[1].id, "call_time");
  EXPECT_EQ(result.tool_calls[1].name, "get_time");
  EXPECT_EQ(result.tool_calls[1].arguments_json, R"({"tz":"Europe/Zurich"})");
  EXPECT_EQ(result.finish, FinishReason::ToolCalls);
  EXPECT_TRUE(result.text.empty());

  // The fragments reached the consumer as they came, each naming its call.
  std::string first_arguments;
  int deltas = 0;
  for (const auto& e : recorder.events) {
    if (e.kind != GenerationEvent::Kind::ToolCallDelta) continue;
    ++deltas;
    if (e.tool_index == 0) first_arguments += e.tool_arguments;
  }
  EXPECT_EQ(deltas, 5);
  EXPECT_EQ(first_arguments, R"({"city": "Zürich"})");
}

TEST(OpenAiProvider, PostsModelMessagesToolsAndStreamFlags) {
  std::promise<std::string> seen_body;
  std::promise<std::string> seen_head;
  FakeHttpServer server([&](FakeConnection& c) {
    seen_head.set_value(c.method() + " " + c.target() + " auth=" + c.header("authorization") +
                        " type=" + c.header("content-type") + " x=" + c.header("x-title"));
    seen_body.set_value(c.body());
    c.send(kSseHead + text_event("ok") + delta_event({}, "stop") + kDone);
  });
  auto options = options_for(server);
  options.extra_headers.set("X-Title", "companion tests");
  OpenAiProvider provider(options);
  auto request = chat_request();
  request.messages = {
      {ChatRole::System, "Be brief."},
      {ChatRole::User, "Weather in Paris?"},
      {ChatRole::Assistant, "", {ToolCall{"call_1", "get_weather", R"({"city":"Paris"})"}}},
      {ChatRole::Tool, R"({"temp_c":21})", {}, "call_1", "get_weather"},
  };
  request.tools = {
      {"get_weather", "Current weather for a city",
       R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})"}};
  request.temperature = 0.25;
  request.max_tokens = 64;
  auto result = provider.generate(request, [](const GenerationEvent&) { return true; });
  EXPECT_EQ(result.text, "ok");

  EXPECT_EQ(
      seen_head.get_future().get(),
      "POST /v1/chat/completions auth=Bearer sk-test type=application/json x=companion tests");
  auto body = json::parse(seen_body.get_future().get()).as_object();
  EXPECT_EQ(body.at("model"), "gpt-test");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options").at("include_usage"), true);
  EXPECT_EQ(body.at("temperature").as_double(), 0.25);
  EXPECT_EQ(body.at("max_tokens").to_number<int>(), 64);
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_EQ(messages[0].at("content"), "Be brief.");
  EXPECT_EQ(messages[1].at("role"), "user");
  EXPECT_EQ(messages[2].at("role"), "assistant");
  EXPECT_TRUE(messages[2].at("content").is_null());
  const auto& call = messages[2].at("tool_calls").as_array().at(0);
  EXPECT_EQ(call.at("id"), "call_1");
  EXPECT_EQ(call.at("type"), "function");
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  EXPECT_EQ(call.at("function").at("arguments"), R"({"city":"Paris"})");
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("tool_call_id"), "call_1");
  EXPECT_EQ(messages[3].at("content"), R"({"temp_c":21})");
  const auto& tool = body.at("tools").as_array().at(0);
  EXPECT_EQ(tool.at("type"), "function");
  EXPECT_EQ(tool.at("function").at("name"), "get_weather");
  EXPECT_EQ(tool.at("function").at("description"), "Current weather for a city");
  // The schema is embedded as JSON, not as a string holding JSON.
  EXPECT_EQ(tool.at("function").at("parameters").at("required").as_array().at(0), "city");
}

TEST(OpenAiProvider, WithoutAKeyNoAuthorizationIsSent) {
  std::promise<std::string> auth;
  FakeHttpServer server([&](FakeConnection& c) {
    auth.set_value(c.header("authorization"));
    c.send(kSseHead + text_event("hi") + delta_event({}, "stop") + kDone);
  });
  auto options = options_for(server);
  options.api_key.clear();
  OpenAiProvider provider(options);
  provider.generate(chat_request(), [](const GenerationEvent&) { return true; });
  EXPECT_EQ(auth.get_future().get(), "");
}

TEST(OpenAiProvider, UsageIsEstimatedWhenTheServerReportsNone) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kSseHead + text_event("twelve chars") + delta_event({}, "stop") + kDone);
  });
  OpenAiProvider provider(options_for(server));
  auto result = provider.generate(chat_request("sixteen letters!"),
                                  [](const GenerationEvent&) { return true; });
  EXPECT_TRUE(result.usage_estimated);
  EXPECT_EQ(result.usage.completion_tokens, 3);  // 12 characters
  EXPECT_GT(result.usage.prompt_tokens, 4);      // 16 characters and the message framing
}

TEST(OpenAiProvider, RateLimitIsRateLimitedWithRetryAfter) {
  FakeHttpServer server([](FakeConnection& c) {
    std::string body = R"({"error":{"message":"Rate limit reached","type":"requests"}})";
    c.send(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  OpenAiProvider provider(options_for(server));
  auto error = failure_of(
      [&] { provider.generate(chat_request(), [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::rate_limited) << error.what();
  EXPECT_TRUE(error.before_first_token());
  ASSERT_TRUE(error.retry_after().has_value());
  EXPECT_EQ(*error.retry_after(), 3s);
  EXPECT_NE(std::string(error.what()).find("Rate limit reached"), std::string::npos);
}

TEST(OpenAiProvider, BadRequestCarriesTheProvidersMessage) {
  FakeHttpServer server([](FakeConnection& c) {
    std::string body =
        R"({"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error"}})";
    c.send("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  OpenAiProvider provider(options_for(server));
  auto error = failure_of(
      [&] { provider.generate(chat_request(), [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::bad_request);
  EXPECT_NE(std::string(error.what()).find("maximum context length is 8192 tokens"),
            std::string::npos)
      << error.what();
}

TEST(OpenAiProvider, ServerErrorIsUnavailable) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  });
  OpenAiProvider provider(options_for(server));
  auto error = failure_of(
      [&] { provider.generate(chat_request(), [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
}

TEST(OpenAiProvider, NothingListeningIsUnavailable) {
  OpenAiProviderOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
  OpenAiProvider provider(options);
  auto error = failure_of(
      [&] { provider.generate(chat_request(), [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::unavailable) << error.what();
}

TEST(OpenAiProvider, ResetMidStreamIsBadResponseAfterThePartialText) {
  std::promise<void> first_delta_seen;
  auto seen = first_delta_seen.get_future().share();
  FakeHttpServer server([seen](FakeConnection& c) {
    c.send(kSseHead + text_event("The answer is"));
    seen.wait_for(5s);
    c.reset();
  });
  OpenAiProvider provider(options_for(server));
  std::string delivered;
  auto error = failure_of([&] {
    provider.generate(chat_request(), [&](const GenerationEvent& e) {
      delivered += e.text;
      first_delta_seen.set_value();
      return true;
    });
  });
  EXPECT_EQ(error.kind(), Kind::bad_response) << error.what();
  EXPECT_FALSE(error.before_first_token());
  EXPECT_EQ(delivered, "The answer is");
}

TEST(OpenAiProvider, StallPastTheFirstTokenTimeoutIsTimeout) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kSseHead + ": thinking\n\n");
    c.wait_for_close();
  });
  OpenAiProvider provider(options_for(server));
  auto request = chat_request();
  request.first_token_timeout = 200ms;
  auto error =
      failure_of([&] { provider.generate(request, [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::timeout) << error.what();
  EXPECT_TRUE(error.before_first_token());
}

TEST(OpenAiProvider, MalformedJsonIsBadResponse) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kSseHead + text_event("fine so far") + "data: {\"choices\":[{\"delta\":{\"content\n\n");
  });
  OpenAiProvider provider(options_for(server));
  std::string delivered;
  auto error = failure_of([&] {
    provider.generate(chat_request(), [&](const GenerationEvent& e) {
      delivered += e.text;
      return true;
    });
  });
  EXPECT_EQ(error.kind(), Kind::bad_response) << error.what();
  EXPECT_FALSE(error.before_first_token());
  EXPECT_EQ(delivered, "fine so far");
}

TEST(OpenAiProvider, ErrorEventInTheStreamIsBadResponseWithItsMessage) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kSseHead + R"(data: {"error":{"message":"upstream overloaded"}})" + "\n\n");
  });
  OpenAiProvider provider(options_for(server));
  auto error = failure_of(
      [&] { provider.generate(chat_request(), [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::bad_response);
  EXPECT_NE(std::string(error.what()).find("upstream overloaded"), std::string::npos);
}

TEST(OpenAiProvider, StreamThatEndsUnfinishedIsBadResponse) {
  FakeHttpServer server([](FakeConnection& c) { c.send(kSseHead + text_event("half a")); });
  OpenAiProvider provider(options_for(server));
  auto error = failure_of(
      [&] { provider.generate(chat_request(), [](const GenerationEvent&) { return true; }); });
  EXPECT_EQ(error.kind(), Kind::bad_response);
  EXPECT_FALSE(error.before_first_token());
}

TEST(OpenAiProvider, StreamWithAFinishReasonButNoDoneIsComplete) {
  // Some servers close right after the last chunk, which also lacks its blank line.
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kSseHead + text_event("short") + delta_event({}, "length", "\n"));
  });
  OpenAiProvider provider(options_for(server));
  auto result = provider.generate(chat_request(), [](const GenerationEvent&) { return true; });
  EXPECT_EQ(result.text, "short");
  EXPECT_EQ(result.finish, FinishReason::Length);
}

TEST(OpenAiProvider, CancelFromAnotherThreadClosesTheConnection) {
  std::promise<bool> server_saw_close;
  FakeHttpServer server([&server_saw_close](FakeConnection& c) {
    c.send(kSseHead + text_event("Once upon"));
    server_saw_close.set_value(c.wait_for_close(5s));
  });
  OpenAiProvider provider(options_for(server));
  auto request = chat_request();
  auto token = request.cancellation;
  std::promise<void> streaming;
  auto call = std::async(std::launch::async, [&] {
    return failure_of([&] {
      provider.generate(request, [&streaming](const GenerationEvent&) {
        streaming.set_value();
        return true;
      });
    });
  });
  streaming.get_future().wait();
  token.cancel();
  auto error = call.get();
  EXPECT_EQ(error.kind(), Kind::cancelled) << error.what();
  EXPECT_TRUE(server_saw_close.get_future().get());
}

TEST(OpenAiProvider, CallbackReturningFalseStopsAndClosesTheConnection) {
  std::promise<bool> server_saw_close;
  FakeHttpServer server([&server_saw_close](FakeConnection& c) {
    c.send(kSseHead + text_event("Once upon"));
    server_saw_close.set_value(c.wait_for_close(5s));
  });
  OpenAiProvider provider(options_for(server));
  Recorder recorder;
  auto result = provider.generate(chat_request(), [&](const GenerationEvent& e) {
    recorder(e);
    return false;
  });
  EXPECT_EQ(result.finish, FinishReason::Cancelled);
  EXPECT_EQ(result.text, "Once upon");
  EXPECT_EQ(recorder.events.size(), 1u);
  EXPECT_TRUE(server_saw_close.get_future().get());
}

TEST(OpenAiProvider, ListsItsModelsWithTheProviderPrefix) {
  OpenAiProviderOptions options;
  options.models = {"gpt-4o-mini", "meta-llama/Llama-3-8B"};
  OpenAiProvider provider(options);
  auto models = provider.models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].id, "openai/gpt-4o-mini");
  EXPECT_EQ(models[1].id, "openai/meta-llama/Llama-3-8B");
  EXPECT_EQ(models[0].provider, "openai");
}

TEST(SseDecoder, FedOneByteAtATimeDispatchesWholeEvents) {
  std::string stream =
      ": comment\r\nevent: message\r\ndata: first\r\ndata:  second line\r\n\r\n"
      "id: 7\rdata: lone cr\r\rdata: é😀\n\nretry: 10\n\n";
  SseDecoder decoder;
  std::vector<std::string> events;
  auto collect = [&events](std::string_view data) {
    events.emplace_back(data);
    return true;
  };
  for (char byte : stream) decoder.feed(std::string_view(&byte, 1), collect);
  decoder.finish(collect);
  EXPECT_EQ(events, (std::vector<std::string>{"first\n second line", "lone cr", "é😀"}));
}
