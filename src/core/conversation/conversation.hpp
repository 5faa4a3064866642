#pragma once
// The one conversation store behind every dialect: a conversation (AI Friend's and Voice
// Assistant's session, Chattr's and YouWorker's session, AI Coach's thread) holds turns, and
// each turn is a user message and the assistant's reply, with what the turn measured.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/llm/chat_message.hpp"

namespace companion::core {

struct Conversation {
  std::int64_t row_id = 0;  // the store's integer id (AI Friend's conversation_id)
  std::string id;           // the external id clients use (session_id, thread_id)
  std::int64_t user_id = 0;
  std::string character_id;        // whose voice answers in it
  std::string client_type;         // which API opened it: "voice", "chattr", "coach", "api", …
  std::string title;               // the first user message, shortened; may be empty
  std::int64_t created_at = 0;     // unix seconds
  std::int64_t last_activity = 0;  // unix seconds
  std::int64_t message_count = 0;  // counted by the store
};

// How a turn ended. An interrupted turn keeps the part of the reply that was streamed.
enum class TurnStatus { Complete, Interrupted, Failed };
std::string_view turn_status_name(TurnStatus status);  // "complete", "interrupted", "failed"
TurnStatus parse_turn_status(std::string_view name);   // unknown names read as Complete

struct StoredMessage {
  std::int64_t row_id = 0;  // assigned by the store
  std::string id;           // "msg_" + 16 hex
  std::string conversation_id;
  std::int64_t user_id = 0;
  std::string turn_id;  // shared by the user message and its reply
  ChatRole role = ChatRole::User;
  std::string content;
  std::string character_id;
  std::int64_t created_at_ms = 0;  // unix milliseconds
  TurnStatus status = TurnStatus::Complete;
  std::string model;        // assistant: the model that answered
  std::int64_t tokens = 0;  // this message's tokens (prompt for user, completion for reply)
  std::string emotion;      // primary emotion label; empty when not analysed
  double sentiment = 0;     // [-1, 1]
  std::string intent;       // user: the detected intent; empty for none
  std::string metadata_json = "{}";  // emotion distribution, timings, sources, tool events, …
};

// A tool the model called during a turn, kept for analytics and the dialects that show it.
struct ToolEventRecord {
  std::string turn_id;
  std::string conversation_id;
  std::int64_t user_id = 0;
  std::string tool;
  std::string arguments_json = "{}";
  bool ok = true;
  std::string error;  // when !ok
  std::int64_t latency_ms = 0;
  std::string result_preview;  // the first few hundred characters of the result
  std::int64_t created_at_ms = 0;
};

}  // namespace companion::core
