#include "providers/llm/chat_json.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace companion::providers {

namespace {

namespace json = boost::json;

json::object role_and_content(const core::ChatMessage& message) {
  json::object out;
  out["role"] = core::chat_role_name(message.role);
  out["content"] = message.content;
  return out;
}

// Arguments the model wrote that are not an object (a cut-off call, another provider's
// quirk) still have to be sent as one; an empty object keeps the conversation valid.
json::object arguments_object(const std::string& arguments_json) {
  boost::system::error_code ec;
  auto parsed = json::parse(arguments_json, ec);
  if (ec || !parsed.is_object()) return {};
  return std::move(parsed.as_object());
}

json::object openai_tool_call(const core::ToolCall& call) {
  json::object function;
  function["name"] = call.name;
  function["arguments"] = call.arguments_json.empty() ? "{}" : call.arguments_json;
  json::object out;
  out["id"] = call.id;
  out["type"] = "function";
  out["function"] = std::move(function);
  return out;
}

json::object ollama_tool_call(const core::ToolCall& call) {
  json::object function;
  function["name"] = call.name;
  function["arguments"] = arguments_object(call.arguments_json);
  json::object out;
  out["function"] = std::move(function);
  return out;
}

}  // namespace

json::array openai_messages(const std::vector<core::ChatMessage>& messages) {
  json::array out;
  out.reserve(messages.size());
  for (const auto& message : messages) {
    json::object item = role_and_content(message);
    if (message.role == core::ChatRole::Assistant && !message.tool_calls.empty()) {
      // A reply that is only tool calls has no content; OpenAI wants null there.
      if (message.content.empty()) item["content"] = nullptr;
      json::array calls;
      for (const auto& call : message.tool_calls) calls.push_back(openai_tool_call(call));
      item["tool_calls"] = std::move(calls);
    }
    if (message.role == core::ChatRole::Tool) item["tool_call_id"] = message.tool_call_id;
    out.push_back(std::move(item));
  }
  return out;
}

json::array ollama_messages(const std::vector<core::ChatMessage>& messages) {
  json::array out;
  out.reserve(messages.size());
  for (const auto& message : messages) {
    json::object item = role_and_content(message);
    if (message.role == core::ChatRole::Assistant && !message.tool_calls.empty()) {
      json::array calls;
      for (const auto& call : message.tool_calls) calls.push_back(ollama_tool_call(call));
      item["tool_calls"] = std::move(calls);
    }
    if (message.role == core::ChatRole::Tool && !message.name.empty())
      item["tool_name"] = message.name;
    out.push_back(std::move(item));
  }
  return out;
}

json::array function_tools(const std::vector<core::ToolSchema>& tools) {
  json::array out;
  out.reserve(tools.size());
  for (const auto& tool : tools) {
    boost::system::error_code ec;
    auto parameters = json::parse(tool.parameters_json, ec);
    if (ec || !parameters.is_object())
      throw core::LlmError(
          core::LlmError::Kind::bad_request,
          "tool " + tool.name + " has a parameters schema that is not a JSON object");
    json::object function;
    function["name"] = tool.name;
    function["description"] = tool.description;
    function["parameters"] = std::move(parameters);
    json::object item;
    item["type"] = "function";
    item["function"] = std::move(function);
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace companion::providers
