#pragma once
// One turn of a conversation: what a client asks for, what it is told while the reply
// streams, and what the turn produced. Every dialect (AI Friend, Voice Assistant, Chattr,
// YouWorker, AI Coach, OpenAI-compatible) drives the same turn and shapes these on its wire.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/affect/emotion.hpp"
#include "core/cancellation_token.hpp"
#include "core/characters/character.hpp"
#include "core/conversation/conversation.hpp"
#include "core/conversation/intent_detector.hpp"
#include "core/llm/grounding.hpp"
#include "core/llm/llm_provider.hpp"

namespace companion::core {

struct TurnRequest {
  std::int64_t user_id = 0;
  std::string username;      // the public user id (events are addressed to it)
  std::string display_name;  // how the companion addresses the user; may be empty
  // The conversation to continue or create (the dialect generated an id in its own format
  // when the client sent none). A conversation owned by another user is refused.
  std::string conversation_id;
  std::string client_type = "api";
  std::string character_id;  // empty: the conversation's character, else the default
  std::string model;         // empty: the character's model, else the server default
  std::string text;          // the user's message
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  // A client that sends the whole conversation itself (OpenAI-compatible): used instead of
  // the stored history. System messages in it are added to the character's instructions.
  std::optional<std::vector<ChatMessage>> client_history;
  bool use_tools = true;
  bool remember_facts = true;  // extract facts from the user's message into memory
  bool use_memories = true;
  bool use_documents = true;
  bool persist = true;     // store the turn (false: a stateless completion)
  std::string local_time;  // the user's clock, when the client says
  // What the client says about the user's situation ("location: home"), for the prompt.
  std::string situation;
  // The language the client wants the reply in ("fr", "German"); empty: the user's own, as
  // the character's language setting says.
  std::string reply_language;
  std::string turn_id;  // empty: generated ("turn_" + 16 hex)
  CancellationToken cancellation;
};

// A tool call as it runs, for the dialects that show tool activity.
struct ToolActivity {
  std::string call_id;
  std::string tool;
  std::string arguments_json;
  enum class Phase { Started, Finished, Failed } phase = Phase::Started;
  std::int64_t latency_ms = 0;  // Finished/Failed
  std::string result_preview;   // Finished
  std::string error;            // Failed
};

struct StageTiming {
  std::string stage;  // "emotion", "intent", "history", "memory", "documents", "generation", …
  double ms = 0;
  bool ok = true;
};

struct TurnTimings {
  double prepare_ms = 0;      // request in → prompt ready (analysis and context)
  double first_token_ms = 0;  // request in → first reply token
  double run_ms = 0;          // generation and tools
  double total_ms = 0;        // request in → turn stored
  std::vector<StageTiming> stages;
};

// What the turn knows once analysis and context are done, before the reply streams.
struct TurnStart {
  std::string turn_id;
  Conversation conversation;
  Character character;
  std::string model;  // "provider/model" that will answer
  EmotionAnalysis user_emotion;
  DetectedIntent intent;
};

struct TurnResult {
  std::string turn_id;
  Conversation conversation;  // after the turn (message_count included)
  Character character;
  std::string model;
  TurnStatus status = TurnStatus::Complete;
  std::string reply;  // the whole reply (the part streamed, when interrupted)
  std::string error;  // why the turn failed, when status is Failed
  EmotionAnalysis user_emotion;
  EmotionAnalysis reply_emotion;
  DetectedIntent intent;
  std::vector<RecalledMemory> memories;   // what the turn recalled
  std::vector<RetrievedPassage> sources;  // document passages it was grounded on
  std::vector<ToolActivity> tools;        // finished and failed calls, in order
  std::vector<std::string> remembered;    // facts stored or updated from the message
  TokenUsage usage;
  bool usage_estimated = false;
  FinishReason finish = FinishReason::Stop;
  TurnTimings timings;
  StoredMessage user_message;       // as stored (ids, timestamps)
  StoredMessage assistant_message;  // as stored
};

// Told about a turn while it runs, on the turn's own thread (never a network thread):
// implementations hand frames to their socket without blocking.
class TurnObserver {
 public:
  virtual ~TurnObserver() = default;
  virtual void on_start(const TurnStart& start) {}
  virtual void on_text(std::string_view delta) {}
  virtual void on_tool(const ToolActivity& activity) {}
  // The turn is over and stored (or failed); called exactly once, last.
  virtual void on_end(const TurnResult& result) {}
};

}  // namespace companion::core
