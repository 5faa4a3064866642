#pragma once
// A light English suffix folding for lexical memory search, so that the forms of a word
// meet: "loves", "loved", "loving" and "love" fold to "lov"; "cities" and "city" to "citi";
// "planned" and "plans" to "plan". It is not a linguistic stemmer: a fold only has to be
// the same for the forms a question and a memory use, and rare collisions ("lives" and
// "lived" meet too) cost little in a ranking that vectors refine.
#include <string>

namespace companion::core {

// `word` lower-case, as the tokenizer produces it; words of other scripts pass unchanged.
std::string stem_word(std::string word);

}  // namespace companion::core
