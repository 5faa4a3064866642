// The intent detector as a user meets it: explicit requests become the right intent with
// the right details, and everyday sentences that merely share a word with a command
// ("I played football", "I remember when…") stay conversation, so no tool fires by mistake.
#include "core/conversation/intent_detector.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using companion::core::DetectedIntent;
using companion::core::IntentDetector;

namespace {

struct Labelled {
  std::string utterance;
  std::string intent;
  std::map<std::string, std::string> slots;  // only the slots worth checking
};

std::ostream& operator<<(std::ostream& out, const Labelled& labelled) {
  return out << '"' << labelled.utterance << "\" -> " << labelled.intent;
}

class LabelledUtterance : public ::testing::TestWithParam<Labelled> {};

TEST_P(LabelledUtterance, IsRecognised) {
  const Labelled& expected = GetParam();
  DetectedIntent detected = IntentDetector().detect(expected.utterance);
  EXPECT_EQ(detected.name, expected.intent) << expected.utterance;
  for (const auto& [slot, value] : expected.slots) {
    auto found = detected.slots.find(slot);
    ASSERT_NE(found, detected.slots.end()) << "missing slot " << slot;
    EXPECT_EQ(found->second, value) << "slot " << slot;
  }
  EXPECT_GE(detected.confidence, 0.0);
  EXPECT_LE(detected.confidence, 1.0);
}

const std::vector<Labelled> music = {
    {"play some jazz", "music_play", {{"query", "jazz"}}},
    {"Put on Bohemian Rhapsody", "music_play", {{"query", "Bohemian Rhapsody"}}},
    {"play music", "music_play", {{"query", ""}}},
    {"Hey, could you play Bohemian Rhapsody by Queen?",
     "music_play",
     {{"query", "Bohemian Rhapsody by Queen"}}},
    {"play me a song", "music_play", {{"query", ""}}},
    {"can you play some relaxing music please", "music_play", {{"query", "relaxing"}}},
    {"play music by Queen", "music_play", {{"query", "Queen"}}},
    {"I want to listen to Taylor Swift", "music_play", {{"query", "Taylor Swift"}}},
    {"put some jazz on", "music_play", {{"query", "jazz"}}},
    {"Luna, play the Beatles", "music_play", {{"query", "the Beatles"}}},
    {"pause", "music_pause", {{"action", "pause"}}},
    {"pause the music", "music_pause", {}},
    {"resume", "music_resume", {}},
    {"unpause the song please", "music_resume", {}},
    {"skip this song", "music_next", {{"action", "next"}}},
    {"next track", "music_next", {}},
    {"play the next song", "music_next", {}},
    {"previous song", "music_previous", {}},
    {"go back a song", "music_previous", {}},
    {"stop the music", "music_stop", {{"action", "stop"}}},
    {"turn off the music", "music_stop", {}},
};

const std::vector<Labelled> not_music = {
    {"I played football yesterday", "statement", {}},
    {"Let's play a game", "statement", {}},
    {"can you play chess with me?", "question", {}},
    {"Do you play any instruments?", "question", {}},
    {"put on a jacket, it's cold", "statement", {}},
    {"My kids play outside all day", "statement", {}},
    {"listen to me", "statement", {}},
    {"stop", "statement", {}},
    {"I love this song", "statement", {}},
    {"skip breakfast and you'll regret it", "statement", {}},
    {"play it cool", "statement", {}},
    {"turn off the lights", "statement", {}},
};

const std::vector<Labelled> memory = {
    {"remember that my sister is called Maya",
     "remember",
     {{"content", "my sister is called Maya"}}},
    {"Don't forget I have a dentist appointment on Friday",
     "remember",
     {{"content", "I have a dentist appointment on Friday"}}},
    {"please remember I'm allergic to peanuts",
     "remember",
     {{"content", "I'm allergic to peanuts"}}},
    {"Remember this: the wifi password is sunflower42",
     "remember",
     {{"content", "the wifi password is sunflower42"}}},
    {"can you keep in mind that my boss is called Priya",
     "remember",
     {{"content", "my boss is called Priya"}}},
    {"forget what I told you about my job", "forget", {{"query", "my job"}}},
    {"please forget my old address", "forget", {{"query", "my old address"}}},
    {"delete the memory about my ex", "forget", {{"query", "my ex"}}},
    {"I remember when we went to Paris", "statement", {}},
    {"remember when we went to Paris?", "question", {}},
    {"don't forget to drink water", "statement", {}},
    {"forget it", "statement", {}},
    {"forget about it, it doesn't matter", "statement", {}},
    {"I forgot my keys again", "statement", {}},
    {"I can't remember my password", "statement", {}},
    {"what's my sister's name?", "memory_question", {}},
    {"do you remember where I work?", "memory_question", {}},
    {"when is my birthday", "memory_question", {}},
    {"what do you know about me?", "memory_question", {{"scope", "all"}}},
    {"how do I cook rice?", "question", {}},
};

const std::vector<Labelled> slides = {
    {"make slides about time management",
     "slides",
     {{"mode", "create"}, {"topic", "time management"}, {"title", "Time Management"}}},
    {"Create a presentation on the history of jazz",
     "slides",
     {{"mode", "create"}, {"topic", "the history of jazz"}, {"title", "The History of Jazz"}}},
    {"could you build me a short slide deck about our Q3 results",
     "slides",
     {{"topic", "our Q3 results"}}},
    {"update the slides to add a section on budgets",
     "slides",
     {{"mode", "update"}, {"instructions", "add a section on budgets"}}},
    {"add a slide about customer feedback",
     "slides",
     {{"mode", "update"}, {"instructions", "add a slide about customer feedback"}}},
    {"I gave a presentation today and it went well", "statement", {}},
    {"the slides at the water park were amazing", "statement", {}},
    {"we should build the kids a slide for the garden", "statement", {}},
};

const std::vector<Labelled> searches = {
    {"search the web for cheap flights to Lisbon",
     "web_search",
     {{"query", "cheap flights to Lisbon"}}},
    {"look up the opening hours of the Louvre online",
     "web_search",
     {{"query", "the opening hours of the Louvre"}}},
    {"what's the latest news on the Mars mission?",
     "web_search",
     {{"query", "the Mars mission news"}}},
    {"google best pizza in Naples", "web_search", {{"query", "best pizza in Naples"}}},
    {"I saw the news about the fire", "statement", {}},
    {"look up at the stars tonight", "statement", {}},
    {"what's new with you?", "question", {}},
    {"What does Wikipedia say about the Eiffel Tower?",
     "wikipedia",
     {{"query", "the Eiffel Tower"}}},
    {"look up Marie Curie on Wikipedia", "wikipedia", {{"query", "Marie Curie"}}},
    {"according to wikipedia, who was Ada Lovelace?", "wikipedia", {{"query", "Ada Lovelace"}}},
    {"I was reading Wikipedia all night", "statement", {}},
    {"who was Ada Lovelace?", "question", {}},
    {"according to my documents, how long is the warranty?",
     "document_question",
     {{"query", "how long is the warranty"}}},
    {"in the report I uploaded, what was the revenue in 2023?",
     "document_question",
     {{"query", "what was the revenue in 2023"}}},
    {"What does my PDF say about refunds?", "document_question", {{"query", "refunds"}}},
    {"search my notes for the meeting date", "document_question", {{"query", "the meeting date"}}},
    {"my documents got soaked in the rain", "statement", {}},
    {"there's a typo in my report", "statement", {}},
};

const std::vector<Labelled> social = {
    {"hi", "greeting", {}},
    {"Good morning!", "greeting", {}},
    {"hey Luna, how are you?", "greeting", {}},
    {"how's it going", "greeting", {}},
    {"bye!", "farewell", {}},
    {"thanks, good night", "farewell", {}},
    {"I have to go to the dentist tomorrow", "statement", {}},
    {"thank you so much!", "thanks", {}},
    {"that was really helpful, thanks", "thanks", {}},
    {"no thanks", "statement", {}},
    {"who are you?", "identity", {{"aspect", "name"}}},
    {"are you an AI?", "identity", {{"aspect", "nature"}}},
    {"are you a fan of jazz?", "question", {}},
    {"what's the capital of Peru?", "question", {}},
    {"I had a really rough day at work", "statement", {}},
    {"how wonderful that is", "statement", {}},
};

INSTANTIATE_TEST_SUITE_P(Music, LabelledUtterance, ::testing::ValuesIn(music));
INSTANTIATE_TEST_SUITE_P(NotMusic, LabelledUtterance, ::testing::ValuesIn(not_music));
INSTANTIATE_TEST_SUITE_P(Memory, LabelledUtterance, ::testing::ValuesIn(memory));
INSTANTIATE_TEST_SUITE_P(Slides, LabelledUtterance, ::testing::ValuesIn(slides));
INSTANTIATE_TEST_SUITE_P(Searches, LabelledUtterance, ::testing::ValuesIn(searches));
INSTANTIATE_TEST_SUITE_P(Social, LabelledUtterance, ::testing::ValuesIn(social));

TEST(IntentDetector, SameTextAlwaysGivesTheSameIntent) {
  IntentDetector detector;
  auto first = detector.detect("play some jazz");
  auto second = detector.detect("play some jazz");
  EXPECT_EQ(first.name, second.name);
  EXPECT_EQ(first.slots, second.slots);
  EXPECT_EQ(first.confidence, second.confidence);
}

TEST(IntentDetector, TypographicApostrophesAreUnderstood) {
  auto detected = IntentDetector().detect("Don\u2019t forget I\u2019m vegan");
  EXPECT_EQ(detected.name, "remember");
  EXPECT_EQ(detected.slots["content"], "I'm vegan");
}

TEST(IntentDetector, EmptyTextIsAStatementWithNoConfidence) {
  auto detected = IntentDetector().detect("   ");
  EXPECT_EQ(detected.name, "statement");
  EXPECT_EQ(detected.confidence, 0.0);
}

TEST(IntentDetector, ExplicitCommandsAreMoreCertainThanTheDefault) {
  IntentDetector detector;
  EXPECT_GT(detector.detect("play some jazz").confidence,
            detector.detect("I like jazz").confidence);
}

}  // namespace
