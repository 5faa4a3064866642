#include "providers/llm/offline_provider.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <map>
#include <string>

#include "core/embedding/stable_hash.hpp"
#include "providers/llm/tool_call_planner.hpp"
#include "providers/llm/tool_result_reply.hpp"

namespace companion::providers::llm {

namespace {

using Clock = std::chrono::steady_clock;

// What the conversation says about this turn: the user's message, and the tool results that
// came back since (the second call of a tool loop).
struct TurnMessages {
  std::string_view user_text;
  std::vector<ToolOutcome> outcomes;
  bool tools_called = false;        // an assistant message after it asked for tools
  std::string_view previous_reply;  // the assistant's last words before it
};

TurnMessages read_turn(const std::vector<core::ChatMessage>& messages) {
  TurnMessages turn;
  auto last_user = std::find_if(messages.rbegin(), messages.rend(), [](const core::ChatMessage& m) {
    return m.role == core::ChatRole::User;
  });
  if (last_user == messages.rend()) return turn;
  turn.user_text = last_user->content;
  std::size_t user_index = static_cast<std::size_t>(messages.rend() - last_user) - 1;
  for (std::size_t i = user_index; i-- > 0;) {
    if (messages[i].role == core::ChatRole::Assistant && !messages[i].content.empty()) {
      turn.previous_reply = messages[i].content;
      break;
    }
  }
  std::map<std::string, const core::ToolCall*> calls;
  for (std::size_t i = user_index + 1; i < messages.size(); ++i) {
    const core::ChatMessage& message = messages[i];
    if (message.role == core::ChatRole::Assistant && !message.tool_calls.empty()) {
      turn.tools_called = true;
      for (const auto& call : message.tool_calls) calls[call.id] = &call;
    } else if (message.role == core::ChatRole::Tool) {
      ToolOutcome outcome{message.name, "{}", message.content};
      auto call = calls.find(message.tool_call_id);
      if (call != calls.end()) {
        outcome.arguments_json = call->second->arguments_json;
        if (outcome.tool.empty()) outcome.tool = call->second->name;
      }
      turn.outcomes.push_back(std::move(outcome));
    }
  }
  return turn;
}

std::size_t word_count(std::string_view text) {
  std::size_t count = 0;
  bool in_word = false;
  for (char c : text) {
    bool word = !std::isspace(static_cast<unsigned char>(c));
    if (word && !in_word) ++count;
    in_word = word;
  }
  return count;
}

// About four tokens for every three English words.
std::int64_t estimated_tokens(std::size_t words) {
  return static_cast<std::int64_t>((words * 4 + 2) / 3);
}

std::int64_t prompt_tokens(const std::vector<core::ChatMessage>& messages) {
  std::size_t words = 0;
  for (const auto& message : messages) {
    words += word_count(message.content);
    for (const auto& call : message.tool_calls) words += word_count(call.arguments_json);
  }
  return estimated_tokens(words);
}

// The grounding names the turn's tools; a request without one (a plain API call) offers
// the tools it lists.
std::vector<std::string> offered_tools(const core::GenerationRequest& request) {
  if (request.grounding) return request.grounding->tools;
  std::vector<std::string> names;
  for (const auto& tool : request.tools) names.push_back(tool.name);
  return names;
}

// Each word with the spaces after it: joined, the pieces are the text again.
std::vector<std::string_view> words_with_spacing(std::string_view text) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

void throw_if_cancelled(const core::GenerationRequest& request, bool before_first_token) {
  if (request.cancellation.cancelled()) {
    throw core::LlmError(core::LlmError::Kind::cancelled, "the generation was cancelled",
                         before_first_token);
  }
}

bool deliver(const core::GenerationCallback& on_event, const core::GenerationEvent& event,
             core::GenerationResult& result, Clock::time_point started, bool first) {
  if (first) {
    result.time_to_first_token =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  }
  return !on_event || on_event(event);
}

core::GenerationResult ask_for_tool(core::ToolCall call, const core::GenerationCallback& on_event,
                                    Clock::time_point started, core::GenerationResult result) {
  core::GenerationEvent announce;
  announce.kind = core::GenerationEvent::Kind::ToolCallDelta;
  announce.tool_call_id = call.id;
  announce.tool_name = call.name;
  core::GenerationEvent arguments;
  arguments.kind = core::GenerationEvent::Kind::ToolCallDelta;
  arguments.tool_arguments = call.arguments_json;
  result.usage.completion_tokens =
      estimated_tokens(word_count(call.name) + word_count(call.arguments_json));
  if (!deliver(on_event, announce, result, started, true) ||
      !deliver(on_event, arguments, result, started, false)) {
    result.finish = core::FinishReason::Cancelled;
    return result;
  }
  result.tool_calls.push_back(std::move(call));
  result.finish = core::FinishReason::ToolCalls;
  return result;
}

core::GenerationResult stream_text(std::string_view text, const core::GenerationRequest& request,
                                   const core::GenerationCallback& on_event,
                                   Clock::time_point started, core::GenerationResult result) {
  std::size_t word_budget = std::numeric_limits<std::size_t>::max();
  if (request.max_tokens) word_budget = std::max(1, *request.max_tokens * 3 / 4);
  auto pieces = words_with_spacing(text);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i == word_budget) {
      result.finish = core::FinishReason::Length;
      break;
    }
    throw_if_cancelled(request, i == 0);
    core::GenerationEvent event;
    event.kind = core::GenerationEvent::Kind::TextDelta;
    event.text = std::string(pieces[i]);
    result.text += pieces[i];
    if (!deliver(on_event, event, result, started, i == 0)) {
      result.finish = core::FinishReason::Cancelled;
      break;
    }
  }
  result.usage.completion_tokens = estimated_tokens(word_count(result.text));
  return result;
}

}  // namespace

OfflineProvider::OfflineProvider(std::shared_ptr<const core::Lexicon> lexicon)
    : matcher_(std::move(lexicon)), composer_(matcher_) {}

std::vector<core::ModelInfo> OfflineProvider::models() const {
  return {core::ModelInfo{
      std::string(kName) + "/" + std::string(kModel), std::string(kName), "companion",
      "The built-in offline engine. It is not a large language model: it composes replies from "
      "rules and templates, the user's memories and documents, and calls tools for clear "
      "requests such as music, memory and slides."}};
}

core::GenerationResult OfflineProvider::generate(const core::GenerationRequest& request,
                                                 const core::GenerationCallback& on_event) {
  Clock::time_point started = Clock::now();
  throw_if_cancelled(request, true);
  static const core::Grounding no_grounding;
  const core::Grounding& grounding = request.grounding ? *request.grounding : no_grounding;
  TurnMessages turn = read_turn(request.messages);
  std::uint64_t seed = core::stable_hash(turn.user_text);

  core::GenerationResult result;
  result.model = std::string(kModel);
  result.usage_estimated = true;
  result.usage.prompt_tokens = prompt_tokens(request.messages);

  if (!turn.outcomes.empty()) {
    std::string text =
        reply_from_tool_outcomes(turn.outcomes, turn.user_text, grounding, matcher_, seed);
    return stream_text(text, request, on_event, started, std::move(result));
  }
  if (word_count(turn.user_text) == 0) {
    return stream_text("I'm here whenever you'd like to talk.", request, on_event, started,
                       std::move(result));
  }
  std::vector<std::string> tools = offered_tools(request);
  core::DetectedIntent intent = intents_.detect(turn.user_text);
  // One round of tools per turn: after a call, the reply is composed whatever came back.
  if (!turn.tools_called) {
    if (auto call = plan_tool_call(intent, grounding, tools, seed ^ request.messages.size()))
      return ask_for_tool(std::move(*call), on_event, started, std::move(result));
  }
  ConversationTurn conversation{turn.user_text, intent, grounding, tools};
  std::string text = composer_.compose(conversation, seed);
  // A message sent twice in a row gets another phrasing rather than the same words.
  if (text == turn.previous_reply) text = composer_.compose(conversation, core::mix64(seed + 1));
  return stream_text(text, request, on_event, started, std::move(result));
}

}  // namespace companion::providers::llm
