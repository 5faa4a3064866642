#include "providers/llm/ollama_stream.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>

namespace companion::providers {

namespace {

namespace json = boost::json;

std::string_view string_or_empty(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return value->as_string();
}

std::optional<std::int64_t> count_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return std::nullopt;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

[[noreturn]] void malformed(const GenerationBuilder& builder, const std::string& why) {
  throw core::LlmError(core::LlmError::Kind::bad_response, "ollama: " + why,
                       !builder.streamed_anything());
}

// Ollama sends arguments as an object; callers expect the JSON text a model wrote.
std::string arguments_text(const json::object& function) {
  const auto* arguments = function.if_contains("arguments");
  if (arguments == nullptr || arguments->is_null()) return "{}";
  if (arguments->is_string()) return std::string(arguments->as_string());
  return json::serialize(*arguments);
}

bool take_tool_calls(GenerationBuilder& builder, const json::array& calls, int& next_index) {
  for (const auto& item : calls) {
    if (!item.is_object()) malformed(builder, "a tool call in the stream is not an object");
    const auto& call = item.as_object();
    const auto* function = call.if_contains("function");
    if (function == nullptr || !function->is_object())
      malformed(builder, "a tool call in the stream has no function");
    std::string arguments = arguments_text(function->as_object());
    // Every call arrives whole, so each is its own index.
    if (!builder.add_tool_call_piece(next_index++, string_or_empty(call, "id"),
                                     string_or_empty(function->as_object(), "name"), arguments))
      return false;
  }
  return true;
}

bool take_message(GenerationBuilder& builder, const json::object& message, int& next_index) {
  if (!builder.add_text(string_or_empty(message, "content"))) return false;
  if (const auto* calls = message.if_contains("tool_calls"); calls && calls->is_array())
    return take_tool_calls(builder, calls->as_array(), next_index);
  return true;
}

bool take_final(GenerationBuilder& builder, const json::object& line) {
  builder.set_finish(string_or_empty(line, "done_reason") == "length" ? core::FinishReason::Length
                                                                      : core::FinishReason::Stop);
  auto prompt = count_of(line, "prompt_eval_count");
  auto completion = count_of(line, "eval_count");
  if (!prompt && !completion) return true;
  core::TokenUsage usage;
  usage.prompt_tokens = prompt.value_or(0);
  usage.completion_tokens = completion.value_or(0);
  return builder.report_usage(usage);
}

}  // namespace

bool OllamaLineReader::take(std::string_view line) {
  if (is_blank(line)) return true;
  boost::system::error_code ec;
  auto parsed = json::parse(line, ec);
  if (ec || !parsed.is_object()) malformed(builder_, "the stream sent malformed JSON");
  const auto& fields = parsed.as_object();
  if (const auto* error = fields.if_contains("error"); error && !error->is_null())
    malformed(builder_,
              "the stream reported an error: " +
                  (error->is_string() ? std::string(error->as_string()) : json::serialize(*error)));
  builder_.set_model(string_or_empty(fields, "model"));
  if (const auto* message = fields.if_contains("message"); message && message->is_object())
    if (!take_message(builder_, message->as_object(), next_call_index_)) return false;
  const auto* done = fields.if_contains("done");
  if (done == nullptr || !done->is_bool() || !done->as_bool()) return true;
  done_ = true;
  take_final(builder_, fields);
  return false;
}

}  // namespace companion::providers
