#pragma once
// Finds first-person statements about the user in a chat message ("my name is Ana",
// "I love jazz", "I moved to Lyon") and restates each as a fact about the user. Only
// statements the user makes about themself count; questions are skipped, since "do I like
// jazz?" asserts nothing.
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

struct ExtractedFact {
  std::string content;   // third person: "User lives in Lyon"
  std::string category;  // personal, preferences, work, relationships, context
  double importance = 0.5;
  // Single-valued facts (name, birthday, location, job, employer): a new statement in the
  // slot replaces the old one. Empty for facts that accumulate (likes, family, plans).
  std::string slot;
};

std::vector<ExtractedFact> extract_facts(std::string_view message);

// Lower case, letters and digits only, single spaces: two statements that normalise alike
// are the same fact.
std::string normalise_fact(std::string_view text);

}  // namespace companion::core
