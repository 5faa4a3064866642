#include "core/llm/chat_message.hpp"

namespace companion::core {

std::string_view chat_role_name(ChatRole role) {
  switch (role) {
    case ChatRole::System:
      return "system";
    case ChatRole::User:
      return "user";
    case ChatRole::Assistant:
      return "assistant";
    case ChatRole::Tool:
      return "tool";
  }
  return "user";
}

ChatRole parse_chat_role(std::string_view name) {
  if (name == "system") return ChatRole::System;
  if (name == "assistant") return ChatRole::Assistant;
  if (name == "tool") return ChatRole::Tool;
  return ChatRole::User;
}

}  // namespace companion::core
