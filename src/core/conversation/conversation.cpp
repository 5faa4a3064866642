#include "core/conversation/conversation.hpp"

namespace companion::core {

std::string_view turn_status_name(TurnStatus status) {
  switch (status) {
    case TurnStatus::Complete:
      return "complete";
    case TurnStatus::Interrupted:
      return "interrupted";
    case TurnStatus::Failed:
      return "failed";
  }
  return "complete";
}

TurnStatus parse_turn_status(std::string_view name) {
  if (name == "interrupted") return TurnStatus::Interrupted;
  if (name == "failed") return TurnStatus::Failed;
  return TurnStatus::Complete;
}

}  // namespace companion::core
