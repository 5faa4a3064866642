#pragma once
// The built-in offline engine behind the LlmProvider port: no model weights, no network.
// It reads the last user message and the turn's Grounding and either asks for a tool (a
// music request, "remember that…", slides, a search) or composes the reply itself: from
// the tool results once they are back, from the user's memories and documents, or as a
// persona-styled, emotion-aware conversational reply. Deterministic: the same turn gives the
// same reply. The reply is streamed a word at a time, and the stream stops at once when the
// caller declines more or the request is cancelled.
#include <memory>
#include <string_view>
#include <vector>

#include "core/conversation/intent_detector.hpp"
#include "core/embedding/lexicon.hpp"
#include "core/llm/llm_provider.hpp"
#include "providers/llm/meaning_matcher.hpp"
#include "providers/llm/offline_reply_composer.hpp"

namespace companion::providers::llm {

class OfflineProvider final : public core::LlmProvider {
 public:
  static constexpr std::string_view kName = "offline";
  static constexpr std::string_view kModel = "companion";

  // The lexicon (WordNet) lets questions meet memories and passages by meaning; may be null.
  explicit OfflineProvider(std::shared_ptr<const core::Lexicon> lexicon = nullptr);
  // The composer holds on to the matcher: a copy would point into the original.
  OfflineProvider(const OfflineProvider&) = delete;
  OfflineProvider& operator=(const OfflineProvider&) = delete;

  std::string_view name() const override { return kName; }
  core::GenerationResult generate(const core::GenerationRequest& request,
                                  const core::GenerationCallback& on_event) override;
  std::vector<core::ModelInfo> models() const override;

 private:
  core::IntentDetector intents_;
  MeaningMatcher matcher_;
  OfflineReplyComposer composer_;
};

}  // namespace companion::providers::llm
