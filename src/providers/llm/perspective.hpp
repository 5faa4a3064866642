#pragma once
// Who a sentence is about, turned around. Memories are stored in the third person ("User's
// sister is called Maya"), the user speaks in the first ("my sister is called Maya") and the
// companion answers in the second ("your sister is called Maya"). Word-level rules: pronouns
// swap and the verb after the subject agrees with it ("User likes jazz" → "you like jazz").
#include <string>
#include <string_view>

namespace companion::providers::llm {

// "User's sister is called Maya" → "Your sister is called Maya"; "The user's birthday is
// June 15th" → "Your birthday is June 15th"; "User likes jazz" → "You like jazz".
std::string third_to_second_person(std::string_view fact);

// "I have a dentist appointment on Friday" → "User has a dentist appointment on Friday";
// "my sister is called Maya" → "User's sister is called Maya". What a memory stores.
std::string first_to_third_person(std::string_view statement);

// "I failed my test" → "you failed your test"; "I miss you" → "you miss me"; "we" and "our"
// become "you" and "your" (the user and theirs). For echoing
// the user's words back to them. Keeps the first letter's case as the rules leave it.
std::string first_to_second_person(std::string_view statement);

// The first letter upper-cased, or lower-cased unless the word is "I" or a name-like word.
std::string capitalise_first(std::string text);
std::string lowercase_first(std::string text);

}  // namespace companion::providers::llm
