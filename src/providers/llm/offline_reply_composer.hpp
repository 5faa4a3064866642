#pragma once
// The offline engine's words when no tool is involved: greetings, thanks and goodbyes, who
// the companion is (honestly: a program on this server's built-in engine, not a person and
// not a large language model), answers about the user from their memories and about their
// documents from the passages, and otherwise the reply of a kind, attentive friend: it
// reflects what the user said, answers their feeling (comfort for sadness, calm for anger,
// shared joy), brings up a memory when one fits and now and then asks a follow-up question.
// The persona's style and traits colour every sentence. It never claims knowledge it does
// not have: a general question gets an honest "I can't look that up on my own".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/conversation/intent_detector.hpp"
#include "core/llm/grounding.hpp"
#include "providers/llm/meaning_matcher.hpp"

namespace companion::providers::llm {

struct ConversationTurn {
  std::string_view user_text;
  const core::DetectedIntent& intent;
  const core::Grounding& grounding;
  const std::vector<std::string>& tools;  // the tools offered this turn
};

class OfflineReplyComposer {
 public:
  explicit OfflineReplyComposer(const MeaningMatcher& matcher) : matcher_(matcher) {}

  // The same turn and seed always give the same reply.
  std::string compose(const ConversationTurn& turn, std::uint64_t seed) const;

 private:
  const MeaningMatcher& matcher_;
};

}  // namespace companion::providers::llm
