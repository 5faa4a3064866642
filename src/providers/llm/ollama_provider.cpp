#include "providers/llm/ollama_provider.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "providers/llm/chat_json.hpp"
#include "providers/llm/generation_builder.hpp"
#include "providers/llm/generation_exchange.hpp"
#include "providers/llm/ollama_stream.hpp"
#include "providers/llm/stream_lines.hpp"

namespace companion::providers {

namespace {

namespace json = boost::json;

}  // namespace

OllamaProvider::OllamaProvider(OllamaProviderOptions options) : options_(std::move(options)) {
  options_.base_url = without_trailing_slash(options_.base_url);
  client_ = model_endpoint_client(options_.tls);
}

std::vector<core::ModelInfo> OllamaProvider::models() const {
  std::vector<core::ModelInfo> out;
  for (const auto& model : options_.models)
    out.push_back({"ollama/" + model, "ollama", "ollama", "Ollama model " + model});
  return out;
}

std::string OllamaProvider::request_body(const core::GenerationRequest& request) const {
  json::object body;
  body["model"] = request.model;
  body["messages"] = ollama_messages(request.messages);
  body["stream"] = true;
  if (!request.tools.empty()) body["tools"] = function_tools(request.tools);
  json::object model_options;
  if (request.temperature) model_options["temperature"] = *request.temperature;
  if (request.max_tokens) model_options["num_predict"] = *request.max_tokens;
  if (!model_options.empty()) body["options"] = std::move(model_options);
  return json::serialize(body);
}

net::HttpClientRequest OllamaProvider::http_request(const core::GenerationRequest& request) const {
  return generation_post(options_, "/api/chat", "application/x-ndjson", request_body(request),
                         request);
}

core::GenerationResult OllamaProvider::generate(const core::GenerationRequest& request,
                                                const core::GenerationCallback& on_event) {
  GenerationBuilder builder(on_event, GenerationBuilder::Clock::now());
  auto outbound = http_request(request);
  OllamaLineReader reader(builder);
  LineSplitter lines;
  LineCallback on_line = [&reader](std::string_view line) { return reader.take(line); };
  auto on_body = [&](std::string_view bytes) {
    try {
      return lines.feed(bytes, on_line);
    } catch (const std::length_error& e) {
      throw core::LlmError(core::LlmError::Kind::bad_response, std::string("ollama: ") + e.what(),
                           !builder.streamed_anything());
    }
  };
  bool body_ended = post_streaming(*client_, outbound, name(), on_body,
                                   [&builder] { return builder.streamed_anything(); });
  if (body_ended) lines.finish(on_line);
  if (!builder.stopped() && !reader.saw_done())
    throw core::LlmError(core::LlmError::Kind::bad_response,
                         "ollama: the stream ended before the reply was complete",
                         !builder.streamed_anything());
  return builder.result(request);
}

}  // namespace companion::providers
