#pragma once
// The JSON that chat APIs read: messages and tool declarations in the OpenAI shape, which
// OpenAI-compatible servers and Ollama's native API share except for tool-call arguments.
#include <vector>

#include <boost/json/array.hpp>

#include "core/llm/chat_message.hpp"
#include "core/llm/llm_provider.hpp"

namespace companion::providers {

// Roles system/user/assistant/tool; an assistant's calls as
// [{id, type:"function", function:{name, arguments}}] with the arguments as JSON text; a tool
// message answers its call by tool_call_id.
boost::json::array openai_messages(const std::vector<core::ChatMessage>& messages);

// Ollama's native form: call arguments are JSON objects, calls carry no ids, and a tool
// message names its tool (tool_name) instead.
boost::json::array ollama_messages(const std::vector<core::ChatMessage>& messages);

// [{type:"function", function:{name, description, parameters}}] with each schema embedded
// as JSON. Throws LlmError bad_request when a schema is not a JSON object.
boost::json::array function_tools(const std::vector<core::ToolSchema>& tools);

}  // namespace companion::providers
