#pragma once
// The messages a language model reads and writes, in the shape every chat API shares: a
// role, text, and for the assistant the tools it asked to call (answered by tool messages).
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

enum class ChatRole { System, User, Assistant, Tool };

std::string_view chat_role_name(ChatRole role);  // "system", "user", "assistant", "tool"
// Unknown names read as User.
ChatRole parse_chat_role(std::string_view name);

struct ToolCall {
  std::string id;              // "call_" + hex when the provider gave none
  std::string name;            // the tool's name
  std::string arguments_json;  // a JSON object as text, exactly as the model wrote it
};

struct ChatMessage {
  ChatRole role = ChatRole::User;
  std::string content;
  std::vector<ToolCall> tool_calls;  // Assistant only
  std::string tool_call_id;          // Tool only: which call this answers
  std::string name;                  // Tool only: the tool's name
};

}  // namespace companion::core
