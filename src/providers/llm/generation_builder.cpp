#include "providers/llm/generation_builder.hpp"

#include <algorithm>
#include <random>

#include "providers/llm/usage_estimate.hpp"

namespace companion::providers {

std::string new_tool_call_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "call_";
  for (int i = 0; i < 24; ++i) id += kHex[random() & 0xF];
  return id;
}

GenerationBuilder::GenerationBuilder(const core::GenerationCallback& on_event,
                                     Clock::time_point started)
    : on_event_(on_event), started_(started) {}

bool GenerationBuilder::emit(const core::GenerationEvent& event) {
  if (stopped_) return false;
  // Usage is bookkeeping, not output: a retry after it would duplicate nothing.
  if (event.kind != core::GenerationEvent::Kind::Usage) {
    if (!first_token_at_) first_token_at_ = Clock::now();
    streamed_ = true;
  }
  stopped_ = !on_event_(event);
  return !stopped_;
}

bool GenerationBuilder::add_text(std::string_view text) {
  if (text.empty()) return !stopped_;
  text_.append(text);
  core::GenerationEvent event;
  event.kind = core::GenerationEvent::Kind::TextDelta;
  event.text = std::string(text);
  return emit(event);
}

bool GenerationBuilder::add_tool_call_piece(int index, std::string_view id, std::string_view name,
                                            std::string_view arguments) {
  auto at = std::find(call_indexes_.begin(), call_indexes_.end(), index);
  std::string assigned_id;
  if (at == call_indexes_.end()) {
    call_indexes_.push_back(index);
    calls_.emplace_back();
    at = call_indexes_.end() - 1;
    if (id.empty()) assigned_id = new_tool_call_id();
  }
  auto& call = calls_[static_cast<std::size_t>(at - call_indexes_.begin())];
  if (!id.empty() && call.id.empty()) assigned_id = std::string(id);
  if (!assigned_id.empty()) call.id = assigned_id;
  // The name comes whole in one piece; a server that repeats it in later pieces must not
  // double it, while one that splits it still gets it joined.
  std::string_view new_name;
  if (!name.empty() && call.name != name) {
    call.name.append(name);
    new_name = name;
  }
  call.arguments_json.append(arguments);

  core::GenerationEvent event;
  event.kind = core::GenerationEvent::Kind::ToolCallDelta;
  event.tool_index = static_cast<int>(at - call_indexes_.begin());
  event.tool_call_id = assigned_id;
  event.tool_name = std::string(new_name);
  event.tool_arguments = std::string(arguments);
  return emit(event);
}

bool GenerationBuilder::report_usage(const core::TokenUsage& usage) {
  usage_ = usage;
  core::GenerationEvent event;
  event.kind = core::GenerationEvent::Kind::Usage;
  event.usage = usage;
  return emit(event);
}

void GenerationBuilder::set_model(std::string_view model) {
  if (!model.empty()) model_ = std::string(model);
}

void GenerationBuilder::set_finish(core::FinishReason finish) {
  finish_ = finish;
}

core::GenerationResult GenerationBuilder::result(const core::GenerationRequest& request) {
  core::GenerationResult out;
  for (auto& call : calls_)
    if (call.arguments_json.empty()) call.arguments_json = "{}";
  out.text = std::move(text_);
  out.tool_calls = std::move(calls_);
  if (usage_) {
    out.usage = *usage_;
  } else {
    out.usage = estimate_usage(request, out.text, out.tool_calls);
    out.usage_estimated = true;
  }
  out.finish = finish_.value_or(core::FinishReason::Stop);
  // Some servers end a reply of tool calls with "stop"; what the caller must do next is
  // answer the calls.
  if (out.finish == core::FinishReason::Stop && !out.tool_calls.empty())
    out.finish = core::FinishReason::ToolCalls;
  if (stopped_) out.finish = core::FinishReason::Cancelled;
  out.model = model_.empty() ? request.model : model_;
  if (first_token_at_)
    out.time_to_first_token =
        std::chrono::duration_cast<std::chrono::milliseconds>(*first_token_at_ - started_);
  return out;
}

}  // namespace companion::providers
