#pragma once
// Why a search could not answer. The search ports throw it; the conversation's search tools
// turn it into a message the model (and, through it, the user) can read, so the message says
// what failed in plain words ("the search service answered HTTP 503").
#include <stdexcept>
#include <string>

namespace companion::core {

class SearchError : public std::runtime_error {
 public:
  enum class Kind {
    unavailable,   // unreachable, or answered with an error status
    bad_response,  // answered, but not in the format the adapter speaks
    timeout,       // no complete answer within the configured time
    cancelled,     // the turn that asked was cancelled
  };
  SearchError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace companion::core
