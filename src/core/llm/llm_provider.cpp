#include "core/llm/llm_provider.hpp"

namespace companion::core {

std::string_view finish_reason_name(FinishReason reason) {
  switch (reason) {
    case FinishReason::Stop:
      return "stop";
    case FinishReason::Length:
      return "length";
    case FinishReason::ToolCalls:
      return "tool_calls";
    case FinishReason::Cancelled:
      return "cancelled";
    case FinishReason::Error:
      return "error";
  }
  return "stop";
}

std::string_view to_string(LlmError::Kind kind) {
  switch (kind) {
    case LlmError::Kind::unavailable:
      return "unavailable";
    case LlmError::Kind::rate_limited:
      return "rate_limited";
    case LlmError::Kind::timeout:
      return "timeout";
    case LlmError::Kind::cancelled:
      return "cancelled";
    case LlmError::Kind::bad_request:
      return "bad_request";
    case LlmError::Kind::bad_response:
      return "bad_response";
    case LlmError::Kind::circuit_open:
      return "circuit_open";
    case LlmError::Kind::unknown_model:
      return "unknown_model";
  }
  return "unknown";
}

}  // namespace companion::core
