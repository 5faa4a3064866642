#pragma once
// Collects a streamed reply while handing each piece to the consumer: the text, tool calls
// assembled from their fragments, usage, the model that answered and how the reply ended.
// Both network adapters read their wire format into it, so they report alike.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/llm_provider.hpp"

namespace companion::providers {

// "call_" and 24 random hex digits, for tool calls a server sent without an id.
std::string new_tool_call_id();

class GenerationBuilder {
 public:
  using Clock = std::chrono::steady_clock;
  GenerationBuilder(const core::GenerationCallback& on_event, Clock::time_point started);

  // Each returns false once the consumer has asked to stop.
  bool add_text(std::string_view text);
  // A piece of tool call `index`: its id and name (when this piece has them) and the next
  // fragment of its arguments. A call that arrives without an id gets one.
  bool add_tool_call_piece(int index, std::string_view id, std::string_view name,
                           std::string_view arguments);
  bool report_usage(const core::TokenUsage& usage);

  void set_model(std::string_view model);
  void set_finish(core::FinishReason finish);

  bool streamed_anything() const { return streamed_; }
  bool stopped() const { return stopped_; }
  bool has_finish() const { return finish_.has_value(); }

  // The whole reply. Usage the server did not report is estimated from `request`.
  core::GenerationResult result(const core::GenerationRequest& request);

 private:
  bool emit(const core::GenerationEvent& event);

  const core::GenerationCallback& on_event_;
  Clock::time_point started_;
  std::optional<Clock::time_point> first_token_at_;
  std::string text_;
  std::vector<int> call_indexes_;  // the server's index of each entry in calls_
  std::vector<core::ToolCall> calls_;
  std::optional<core::TokenUsage> usage_;
  std::optional<core::FinishReason> finish_;
  std::string model_;
  bool streamed_ = false;
  bool stopped_ = false;
};

}  // namespace companion::providers
