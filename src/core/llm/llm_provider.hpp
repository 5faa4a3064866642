#pragma once
// The port every language-model adapter implements (openai-compatible, ollama, offline):
// one streamed generation, delivered as events on the calling thread, cancellable from any
// other thread. Calls block: run them on a worker thread, never on a network thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancellation_token.hpp"
#include "core/llm/chat_message.hpp"
#include "core/llm/grounding.hpp"

namespace companion::core {

// A tool the model may call: its JSON Schema is passed through to providers as written.
struct ToolSchema {
  std::string name;
  std::string description;
  std::string parameters_json = R"({"type":"object","properties":{}})";
};

struct GenerationRequest {
  std::string model;  // the provider's own model name (no "provider/" prefix)
  std::vector<ChatMessage> messages;
  std::vector<ToolSchema> tools;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  // The whole generation, first byte to last; and the longest wait for the first token.
  std::chrono::milliseconds deadline{120'000};
  std::chrono::milliseconds first_token_timeout{60'000};
  CancellationToken cancellation;
  // What the turn gathered, in structured form. Network providers read only `messages`
  // (the prompt already holds all of it); the offline engine composes its reply from this.
  const Grounding* grounding = nullptr;
};

struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total() const { return prompt_tokens + completion_tokens; }
};

enum class FinishReason { Stop, Length, ToolCalls, Cancelled, Error };
std::string_view finish_reason_name(FinishReason reason);  // "stop", "length", "tool_calls", …

struct GenerationEvent {
  enum class Kind {
    TextDelta,      // `text` is the next piece of the reply
    ToolCallDelta,  // a piece of tool call `tool_index`: id/name once, then argument text
    Usage,          // `usage` as the provider counted it
  };
  Kind kind = Kind::TextDelta;
  std::string text;
  int tool_index = 0;
  std::string tool_call_id;
  std::string tool_name;
  std::string tool_arguments;  // the next fragment of the arguments' JSON text
  TokenUsage usage;
};

// Returns false to stop the generation (the provider request is closed).
using GenerationCallback = std::function<bool(const GenerationEvent& event)>;

struct GenerationResult {
  std::string text;                  // the whole reply text
  std::vector<ToolCall> tool_calls;  // complete calls, when the model asked for tools
  TokenUsage usage;                  // counted by the provider, else estimated
  bool usage_estimated = false;      // true when the provider reported none
  FinishReason finish = FinishReason::Stop;
  std::string model;  // the model that answered, as the provider named it
  std::chrono::milliseconds time_to_first_token{0};
};

// Why a generation failed. Providers throw this and nothing else of their own.
class LlmError : public std::runtime_error {
 public:
  enum class Kind {
    unavailable,    // could not connect, or the provider answered 5xx
    rate_limited,   // 429 from the provider
    timeout,        // first-token timeout or deadline passed
    cancelled,      // the request's token was cancelled
    bad_request,    // the provider refused the request (4xx other than 429)
    bad_response,   // malformed or truncated stream
    circuit_open,   // too many recent failures; not tried
    unknown_model,  // no configured provider serves this model
  };
  LlmError(Kind kind, const std::string& message, bool before_first_token = true)
      : std::runtime_error(message), kind_(kind), before_first_token_(before_first_token) {}
  Kind kind() const { return kind_; }
  // True when nothing was streamed yet, so a retry cannot duplicate output.
  bool before_first_token() const { return before_first_token_; }
  // How long the provider asked callers to wait before trying again (Retry-After).
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }
  void set_retry_after(std::chrono::milliseconds wait) { retry_after_ = wait; }

 private:
  Kind kind_;
  bool before_first_token_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

std::string_view to_string(LlmError::Kind kind);

struct ModelInfo {
  std::string id;        // what clients put in "model": "provider/model" or an alias
  std::string provider;  // "offline", "openai", "ollama"
  std::string owned_by;
  std::string description;
};

class LlmProvider {
 public:
  virtual ~LlmProvider() = default;
  virtual std::string_view name() const = 0;
  // Streams the reply through `on_event`, returns the whole of it. Throws LlmError.
  virtual GenerationResult generate(const GenerationRequest& request,
                                    const GenerationCallback& on_event) = 0;
  virtual std::vector<ModelInfo> models() const = 0;
};

}  // namespace companion::core
