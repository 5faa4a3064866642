#include "providers/llm/memory_answer.hpp"

#include <cstring>

#include "providers/llm/perspective.hpp"

namespace companion::providers::llm {

namespace {

struct Ranked {
  const core::RecalledMemory* memory = nullptr;
  MeaningMatch match;
};

// The memory whose meaning best covers the question; ties go to the one ranked first.
Ranked best_match(std::string_view question, const std::vector<core::RecalledMemory>& memories,
                  const MeaningMatcher& matcher) {
  auto asked = matcher.terms(question);
  Ranked best;
  for (const auto& memory : memories) {
    MeaningMatch match = matcher.match(asked, matcher.terms(memory.content));
    if (!best.memory || match.score > best.match.score) best = {&memory, match};
  }
  return best;
}

}  // namespace

std::string memory_as_sentence(std::string_view content) {
  std::string sentence = third_to_second_person(content);
  while (!sentence.empty() && std::strchr(" .!;,", sentence.back())) sentence.pop_back();
  if (!sentence.empty() && sentence.back() != '?') sentence += '.';
  return sentence;
}

std::optional<std::string> answer_from_memories(std::string_view question,
                                                const std::vector<core::RecalledMemory>& memories,
                                                const MeaningMatcher& matcher) {
  Ranked best = best_match(question, memories, matcher);
  if (!best.memory || !answers(best.match)) return std::nullopt;
  return memory_as_sentence(best.memory->content);
}

std::optional<std::string> related_memory(std::string_view message,
                                          const std::vector<core::RecalledMemory>& memories,
                                          const MeaningMatcher& matcher) {
  auto said = matcher.terms(message);
  for (const auto& memory : memories) {
    auto remembered = matcher.terms(memory.content);
    MeaningMatch bearing = matcher.match(said, remembered);
    MeaningMatch repeat = matcher.match(remembered, said);
    // A shared topic word, not only a shared concept: "I got the job!" is no cue to recall
    // where the user works now.
    if (answers(bearing, 0.25) && bearing.topic >= 0.7 && repeat.score < 0.85)
      return memory_as_sentence(memory.content);
  }
  return std::nullopt;
}

}  // namespace companion::providers::llm
