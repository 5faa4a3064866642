#include "providers/llm/openai_stream.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "providers/llm/provider_errors.hpp"

namespace companion::providers {

namespace {

namespace json = boost::json;
using core::FinishReason;

std::string_view string_or_empty(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return value->as_string();
}

std::int64_t count_or_zero(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return 0;
}

FinishReason finish_reason_from(std::string_view name) {
  if (name == "length") return FinishReason::Length;
  if (name == "tool_calls" || name == "function_call") return FinishReason::ToolCalls;
  if (name == "content_filter") return FinishReason::Error;
  return FinishReason::Stop;
}

[[noreturn]] void malformed(const GenerationBuilder& builder, const std::string& why) {
  throw core::LlmError(core::LlmError::Kind::bad_response, "openai: " + why,
                       !builder.streamed_anything());
}

// The choice we asked for: requests never set n, so it is index 0, usually alone.
const json::object* first_choice(const json::object& chunk) {
  const auto* choices = chunk.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return nullptr;
  for (const auto& choice : choices->as_array()) {
    if (!choice.is_object()) continue;
    const auto& object = choice.as_object();
    if (count_or_zero(object, "index") == 0) return &object;
  }
  return nullptr;
}

bool take_tool_calls(GenerationBuilder& builder, const json::array& calls) {
  int position = 0;
  for (const auto& item : calls) {
    if (!item.is_object()) malformed(builder, "a tool call in the stream is not an object");
    const auto& call = item.as_object();
    int index = call.contains("index") ? static_cast<int>(count_or_zero(call, "index")) : position;
    std::string_view name, arguments;
    if (const auto* function = call.if_contains("function"); function && function->is_object()) {
      name = string_or_empty(function->as_object(), "name");
      arguments = string_or_empty(function->as_object(), "arguments");
    }
    if (!builder.add_tool_call_piece(index, string_or_empty(call, "id"), name, arguments))
      return false;
    ++position;
  }
  return true;
}

bool take_choice(GenerationBuilder& builder, const json::object& choice) {
  if (const auto* delta = choice.if_contains("delta"); delta && delta->is_object()) {
    const auto& fields = delta->as_object();
    if (!builder.add_text(string_or_empty(fields, "content"))) return false;
    if (const auto* calls = fields.if_contains("tool_calls"); calls && calls->is_array())
      if (!take_tool_calls(builder, calls->as_array())) return false;
  }
  if (auto reason = string_or_empty(choice, "finish_reason"); !reason.empty())
    builder.set_finish(finish_reason_from(reason));
  return true;
}

}  // namespace

bool OpenAiChunkReader::take(std::string_view data) {
  if (data == "[DONE]") {
    done_ = true;
    return false;
  }
  boost::system::error_code ec;
  auto chunk = json::parse(data, ec);
  if (ec || !chunk.is_object()) malformed(builder_, "the stream sent malformed JSON");
  const auto& fields = chunk.as_object();
  if (const auto* error = fields.if_contains("error"); error && !error->is_null())
    malformed(builder_, "the stream reported an error: " + provider_error_message(data));
  builder_.set_model(string_or_empty(fields, "model"));
  if (const auto* choice = first_choice(fields))
    if (!take_choice(builder_, *choice)) return false;
  if (const auto* usage = fields.if_contains("usage"); usage && usage->is_object()) {
    core::TokenUsage counted;
    counted.prompt_tokens = count_or_zero(usage->as_object(), "prompt_tokens");
    counted.completion_tokens = count_or_zero(usage->as_object(), "completion_tokens");
    if (!builder_.report_usage(counted)) return false;
  }
  return true;
}

}  // namespace companion::providers
