#include "providers/llm/openai_provider.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "providers/llm/chat_json.hpp"
#include "providers/llm/generation_builder.hpp"
#include "providers/llm/generation_exchange.hpp"
#include "providers/llm/openai_stream.hpp"
#include "providers/llm/sse_decoder.hpp"

namespace companion::providers {

namespace {

namespace json = boost::json;

}  // namespace

OpenAiProvider::OpenAiProvider(OpenAiProviderOptions options) : options_(std::move(options)) {
  options_.base_url = without_trailing_slash(options_.base_url);
  client_ = model_endpoint_client(options_.tls);
}

std::vector<core::ModelInfo> OpenAiProvider::models() const {
  std::vector<core::ModelInfo> out;
  for (const auto& model : options_.models)
    out.push_back({"openai/" + model, "openai", "openai",
                   "OpenAI-compatible model " + model + " at the configured endpoint"});
  return out;
}

std::string OpenAiProvider::request_body(const core::GenerationRequest& request) const {
  json::object body;
  body["model"] = request.model;
  body["messages"] = openai_messages(request.messages);
  body["stream"] = true;
  body["stream_options"] = json::object{{"include_usage", true}};
  if (!request.tools.empty()) body["tools"] = function_tools(request.tools);
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  return json::serialize(body);
}

net::HttpClientRequest OpenAiProvider::http_request(const core::GenerationRequest& request) const {
  auto out = generation_post(options_, "/chat/completions", "text/event-stream",
                             request_body(request), request);
  if (!options_.api_key.empty()) out.headers.set("Authorization", "Bearer " + options_.api_key);
  return out;
}

core::GenerationResult OpenAiProvider::generate(const core::GenerationRequest& request,
                                                const core::GenerationCallback& on_event) {
  GenerationBuilder builder(on_event, GenerationBuilder::Clock::now());
  auto outbound = http_request(request);
  OpenAiChunkReader reader(builder);
  SseDecoder events;
  SseDataCallback on_data = [&reader](std::string_view data) { return reader.take(data); };
  auto on_body = [&](std::string_view bytes) {
    try {
      return events.feed(bytes, on_data);
    } catch (const std::length_error& e) {
      throw core::LlmError(core::LlmError::Kind::bad_response, std::string("openai: ") + e.what(),
                           !builder.streamed_anything());
    }
  };
  bool body_ended = post_streaming(*client_, outbound, name(), on_body,
                                   [&builder] { return builder.streamed_anything(); });
  if (body_ended) events.finish(on_data);
  if (!builder.stopped() && !reader.saw_done() && !builder.has_finish())
    throw core::LlmError(core::LlmError::Kind::bad_response,
                         "openai: the stream ended before the reply was complete",
                         !builder.streamed_anything());
  return builder.result(request);
}

}  // namespace companion::providers
