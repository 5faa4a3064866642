#include "providers/llm/offline_reply_composer.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "providers/llm/memory_answer.hpp"
#include "providers/llm/passage_answer.hpp"
#include "providers/llm/persona_voice.hpp"
#include "providers/llm/perspective.hpp"
#include "providers/llm/phrase_choice.hpp"
#include "providers/llm/reply_builder.hpp"
#include "providers/llm/tool_call_planner.hpp"

namespace companion::providers::llm {

namespace {

namespace in = core::intent;

std::string lower_copy(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string without_final_stop(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == '!' || text.back() == ' '))
    text.pop_back();
  return text;
}

// Everything a reply draws on, computed once per turn.
struct Context {
  const ConversationTurn& turn;
  const MeaningMatcher& matcher;
  const PersonaVoice& voice;
  const PhraseChoice& choice;
  std::string lower;  // the user's message in lower case

  const core::Grounding& grounding() const { return turn.grounding; }
  const std::string& user_name() const { return turn.grounding.user_display_name; }
  bool offers(std::string_view tool) const {
    return std::find(turn.tools.begin(), turn.tools.end(), tool) != turn.tools.end();
  }
  bool says(std::initializer_list<std::string_view> phrases) const {
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](std::string_view p) { return lower.find(p) != std::string::npos; });
  }
  std::string slot(const std::string& name) const {
    auto found = turn.intent.slots.find(name);
    return found == turn.intent.slots.end() ? std::string() : found->second;
  }
  ReplyBuilder reply(Mood mood) const { return ReplyBuilder(voice, choice, mood, user_name()); }
};

Mood mood_of(const core::UserFeeling& feeling) {
  const std::string& e = feeling.emotion;
  if (e == "sadness" || e == "fear") return Mood::gentle;
  if (e == "anger" || e == "disgust") return Mood::calm;
  if (e == "joy" || e == "excitement" || e == "love" || e == "surprise") return Mood::bright;
  if (feeling.sentiment <= -0.4) return Mood::gentle;
  if (feeling.sentiment >= 0.5) return Mood::bright;
  return Mood::neutral;
}

// "morning", "afternoon", "evening" from "YYYY-MM-DD HH:MM:SS", or "" when unknown or night.
std::string daypart(const std::string& local_time) {
  if (local_time.size() < 13 || !std::isdigit(static_cast<unsigned char>(local_time[11])))
    return "";
  int hour = std::stoi(local_time.substr(11, 2));
  if (hour >= 5 && hour < 12) return "morning";
  if (hour >= 12 && hour < 18) return "afternoon";
  if (hour >= 18 && hour < 23) return "evening";
  return "";
}

std::string join_list(const std::vector<std::string>& items, std::string_view last_joiner) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(last_joiner) : ", ";
    out += items[i];
  }
  return out;
}

// The user's first sentence said back to them ("I failed my test" → "you failed your
// test"), when it is a plain statement of a fitting length about something other than the
// companion. Bare feelings ("I'm so sad") are not echoed: the reply answers them instead.
std::optional<std::string> reflection_of(std::string_view message) {
  std::string sentence(message.substr(0, message.find_first_of(".!?;\n")));
  std::string lower = lower_copy(sentence);
  for (std::string_view filler :
       {"so ", "well ", "um ", "oh ", "honestly ", "anyway ", "guess what ", "you know what "}) {
    if (lower.starts_with(filler)) {
      sentence.erase(0, filler.size());
      lower.erase(0, filler.size());
    }
  }
  auto words = static_cast<std::size_t>(std::count(sentence.begin(), sentence.end(), ' ')) + 1;
  if (words < 3 || words > 14 || sentence.find(',') != std::string::npos) return std::nullopt;
  std::string padded = " " + lower + " ";
  for (std::string_view about_companion : {" you ", " your ", " you're ", " yourself "})
    if (padded.find(about_companion) != std::string::npos) return std::nullopt;
  for (std::string_view feeling : {"i feel", "i'm feeling", "i am feeling", "feeling"})
    if (lower.starts_with(feeling)) return std::nullopt;
  if ((lower.starts_with("i'm ") || lower.starts_with("i am ")) && words <= 4) return std::nullopt;
  return without_final_stop(lowercase_first(first_to_second_person(sentence)));
}

// ---- Social ---------------------------------------------------------------------------------

std::string greet(const Context& c) {
  auto reply = c.reply(Mood::bright);
  std::string part = daypart(c.grounding().local_time);
  // "Good morning" is answered in kind, whatever the clock says.
  for (std::string_view said : {"morning", "afternoon", "evening"})
    if (c.lower.find("good " + std::string(said)) != std::string::npos) part = said;
  std::string timely = part.empty() ? "Hello" : "Good " + part;
  bool greeted_by_time = c.says({"good morning", "good afternoon", "good evening"});
  if (greeted_by_time && !c.voice.formal()) {
    reply.say("{timely}{, name}!", {{"timely", timely}});
  } else if (c.voice.formal()) {
    reply.say("{timely}{, name}.", {{"timely", timely}});
  } else if (c.voice.playful()) {
    reply.say_one_of({"Well hello there{, name}!", "Hey hey{, name}!", "Oh hi{, name}!",
                      "Look who it is{, name}!"},
                     "greet");
  } else {
    reply.say_one_of({"Hi{, name}!", "Hey{, name}!", "Hello{, name}!", "Hey there{, name}!",
                      "{timely}{, name}!"},
                     "greet", {{"timely", timely}});
  }
  bool asked_how = c.says({"how are you", "how's it going", "how is it going", "how have you been",
                           "how are things", "how you doing", "how's your day", "how is your day",
                           "what's up", "whats up"});
  if (asked_how) {
    reply.say_one_of(
        {"I'm doing well, thanks for asking.", "I'm good — all the better for hearing from you.",
         "Doing nicely, thank you."},
        "how");
    reply.say_one_of({"How are you?", "How about you?", "And how are you doing?"}, "ask");
    return reply.text();
  }
  reply.say_one_of({"It's good to hear from you.", "I'm glad you're here.", "Nice to see you.", ""},
                   "warm");
  if (c.voice.formal()) {
    reply.say_one_of({"How may I help you today?", "How are you today?"}, "ask");
  } else {
    reply.say_one_of({"How's your day going?", "What's on your mind today?",
                      "How are you feeling today?", "What would you like to talk about?"},
                     "ask");
  }
  return reply.text();
}

std::string farewell(const Context& c) {
  bool low = mood_of(c.grounding().feeling) == Mood::gentle;
  auto reply = c.reply(low ? Mood::gentle : Mood::bright);
  if (c.says({"night", "bed", "sleep"})) {
    reply.say_one_of({"Good night{, name}.", "Sleep well{, name}.", "Sweet dreams{, name}."},
                     "bye");
  } else {
    reply.say_one_of({"Take care{, name}!", "Bye for now{, name}!", "Talk soon{, name}!",
                      "See you later{, name}!"},
                     "bye");
  }
  if (low) {
    reply.say("Be kind to yourself, and come back whenever you need me.");
  } else {
    reply.say_one_of({"I'll be here whenever you want to talk.", "It was lovely chatting with you.",
                      "Come back anytime.", "I enjoyed our chat."},
                     "close");
  }
  return reply.text();
}

std::string welcome(const Context& c) {
  auto reply = c.reply(Mood::bright);
  reply.say_one_of({"You're very welcome{, name}!", "Anytime{, name}!", "Happy to help!",
                    "My pleasure{, name}!", "Of course — that's what I'm here for."},
                   "welcome");
  if (c.choice.chance(50, "more")) {
    reply.say_one_of(
        {"Is there anything else on your mind?", "Let me know if there's anything else I can do."},
        "more");
  }
  return reply.text();
}

// ---- The companion itself -----------------------------------------------------------------

constexpr std::string_view kHonestEngine =
    "I run on this server's built-in offline engine, which composes my replies from our "
    "conversation, what you've asked me to remember and your documents — I'm not a large "
    "language model, and I'm not a human.";

std::vector<std::string> abilities(const Context& c) {
  std::vector<std::string> can{"chat and keep you company"};
  if (c.offers(tool::save_memory)) can.push_back("remember what matters to you");
  if (c.offers(tool::semantic_search) || !c.grounding().passages.empty())
    can.push_back("answer questions from your documents");
  if (c.offers(tool::music_control)) can.push_back("play music");
  if (c.offers(tool::slides)) can.push_back("put together slides");
  if (c.offers(tool::web_search)) can.push_back("search the web");
  if (c.offers(tool::search_wikipedia)) can.push_back("look things up on Wikipedia");
  return can;
}

std::string introduce(const Context& c) {
  auto reply = c.reply(Mood::neutral);
  const std::string& name = c.voice.name();
  std::string aspect = c.slot("aspect");
  if (aspect == "abilities") {
    std::string list = join_list(abilities(c), " and ");
    reply.say_one_of({"Here's what I can do: {list}.", "I can {list}."}, "abilities",
                     {{"list", list}});
    reply.say(
        "I run on this server's built-in offline engine, so I work from what you tell me and "
        "what you share with me.");
    return reply.text();
  }
  if (aspect == "nature") {
    reply.say_one_of(
        {"I'm a computer program, not a person: I'm {name}, a companion running on this "
         "server's built-in engine.",
         "Good question. I'm {name}, a program running on this server's built-in conversation "
         "engine, not a human."},
        "nature", {{"name", name}});
    reply.say(
        "I'm not a large language model either: I put my replies together from our "
        "conversation, what you've asked me to remember and your documents.");
    reply.say_one_of({"But I'm really here to listen.", "Still, I'm glad to keep you company."},
                     "warm");
    return reply.text();
  }
  reply.say_one_of(
      {"I'm {name}, your companion.", "My name is {name}, and I'm your companion here.",
       "I'm {name} — think of me as a friend who's always around."},
      "intro", {{"name", name}});
  reply.say(kHonestEngine);
  const auto& interests = c.voice.persona().interests;
  if (!interests.empty()) {
    std::vector<std::string> some(interests.begin(),
                                  interests.begin() + std::min<std::size_t>(3, interests.size()));
    reply.say("I especially love talking about {list}.", {{"list", join_list(some, " and ")}});
  }
  reply.say_one_of(
      {"What would you like to talk about?", "How can I help today?", "What's on your mind?"},
      "ask");
  return reply.text();
}

// ---- Memories and documents ---------------------------------------------------------------

// `question` is what to look for: the user's words, or the part of them after "according to
// my documents".
std::optional<std::string> document_answer(const Context& c, std::string_view question) {
  auto answer = answer_from_passages(question, c.grounding().passages, c.matcher);
  if (!answer) return std::nullopt;
  auto reply = c.reply(Mood::neutral);
  reply.say_one_of({"{text} (source: {source})", "Here's what I found: {text} (source: {source})",
                    "From your documents: {text} (source: {source})"},
                   "document", {{"text", answer->text}, {"source", source_label(*answer)}});
  return reply.text();
}

std::string say_remembered(const Context& c, const std::string& answer) {
  auto reply = c.reply(Mood::neutral);
  reply.say_one_of({"{A}", "If I remember right, {a}", "From what you've told me, {a}",
                    "You told me before: {a}"},
                   "recall", {{"A", answer}, {"a", lowercase_first(answer)}});
  return reply.text();
}

std::string everything_remembered(const Context& c) {
  auto reply = c.reply(Mood::neutral);
  std::vector<std::string> facts;
  for (const auto& memory : c.grounding().memories) {
    if (facts.size() == 4) break;
    facts.push_back(without_final_stop(lowercase_first(memory_as_sentence(memory.content))));
  }
  if (facts.empty()) {
    reply.say(
        "I don't know much about you yet{, name} — tell me about yourself and I'll remember what "
        "matters to you.");
    return reply.text();
  }
  reply.say("Here's what I remember about you: {facts}.",
            {{"facts", join_list(facts, facts.size() > 2 ? ", and " : " and ")}});
  reply.say_one_of({"Is there anything you'd like me to add or forget?", "Did I get that right?"},
                   "check");
  return reply.text();
}

std::string not_remembered(const Context& c) {
  auto reply = c.reply(Mood::neutral);
  reply.say_one_of(
      {"I don't think you've told me that yet{, name}.", "Hmm, I don't have that in my memories.",
       "I'm not sure — I don't remember you mentioning it."},
      "unknown");
  reply.say_one_of(
      {"If you tell me, I'll remember it.", "Would you like to tell me? I'll keep it in mind.",
       "Tell me, and I'll make sure to remember."},
      "invite");
  return reply.text();
}

std::string recall(const Context& c) {
  if (c.slot("scope") == "all") return everything_remembered(c);
  if (auto answer = answer_from_memories(c.turn.user_text, c.grounding().memories, c.matcher))
    return say_remembered(c, *answer);
  if (auto from_documents = document_answer(c, c.turn.user_text)) return *from_documents;
  return not_remembered(c);
}

std::string documents(const Context& c) {
  std::string query = c.slot("query");
  if (auto answer = document_answer(c, query.empty() ? c.turn.user_text : query)) return *answer;
  auto reply = c.reply(Mood::neutral);
  if (c.grounding().passages.empty()) {
    reply.say_one_of({"I couldn't find anything about that in your documents.",
                      "I looked, but nothing in your documents seems to cover that."},
                     "none");
    reply.say("If the file isn't uploaded yet, add it and ask me again.");
  } else {
    reply.say(
        "I looked through the parts of your documents that seemed related, but none of them "
        "answers that clearly.");
    reply.say_one_of({"Could you rephrase the question, or tell me which document it's in?",
                      "Maybe try asking with the words the document would use?"},
                     "retry");
  }
  return reply.text();
}

// ---- Requests the engine cannot carry out this turn ---------------------------------------

std::string without_tool(const Context& c) {
  auto reply = c.reply(Mood::neutral);
  const std::string& name = c.turn.intent.name;
  if (name == in::music_play) {
    std::string what = c.slot("query").empty() ? "some music" : c.slot("query");
    reply.say("I'd love to put on {what}, but I can't control music playback right now.",
              {{"what", what}});
  } else if (name.starts_with("music_")) {
    reply.say("I can't control music playback right now, sorry.");
  } else if (name == in::remember) {
    std::string fact =
        without_final_stop(lowercase_first(first_to_second_person(c.slot("content"))));
    reply.say_one_of({"Thanks for telling me — {fact}.", "Got it: {fact}."}, "noted",
                     {{"fact", fact}});
  } else if (name == in::forget) {
    reply.say("I'm not able to delete memories right now, sorry.");
  } else if (name == in::slides && c.slot("mode") == "create" && c.slot("topic").empty()) {
    reply.say_one_of({"Happy to help with slides — what should they be about?",
                      "Sure! What topic should the slides cover?"},
                     "topic");
  } else if (name == in::slides) {
    reply.say("I can't make slides right now, sorry.");
  } else if (name == in::wikipedia) {
    reply.say("I can't reach Wikipedia from here right now, sorry.");
  } else {
    reply.say("I can't search the web from here right now, sorry.");
  }
  return reply.text();
}

// ---- Questions ----------------------------------------------------------------------------

void weave_memory(const Context& c, ReplyBuilder& reply) {
  auto memory = related_memory(c.turn.user_text, c.grounding().memories, c.matcher);
  if (!memory) return;
  reply.say_one_of(
      {"I remember you told me {m}.", "That reminds me — {m}.", "I haven't forgotten that {m}."},
      "memory", {{"m", without_final_stop(lowercase_first(*memory))}});
}

std::string about_companion(const Context& c) {
  if (c.says({"your day", "how are you feeling", "how do you feel"})) {
    auto reply = c.reply(Mood::bright);
    reply.say("My day's been quiet — I've been here, ready to chat.");
    reply.say_one_of({"How was yours?", "How about yours?"}, "ask");
    return reply.text();
  }
  const auto& interests = c.voice.persona().interests;
  auto said = c.matcher.terms(c.turn.user_text);
  for (const auto& interest : interests) {
    if (c.matcher.match(c.matcher.terms(interest), said).score < 0.99) continue;
    auto reply = c.reply(Mood::bright);
    reply.say_one_of({"I do love {interest}!", "Oh, {interest} is one of my favourite subjects."},
                     "interest", {{"interest", interest}});
    reply.say_one_of({"What about you?", "What do you enjoy about it?"}, "ask");
    return reply.text();
  }
  auto reply = c.reply(Mood::neutral);
  if (interests.empty()) {
    reply.say("I don't have tastes or opinions quite the way you do, but I'd love to hear yours.");
  } else {
    std::vector<std::string> some(interests.begin(),
                                  interests.begin() + std::min<std::size_t>(3, interests.size()));
    reply.say("I don't have tastes quite the way you do, but I'm drawn to {list}.",
              {{"list", join_list(some, " and ")}});
  }
  reply.say_one_of({"What do you think?", "How about you?"}, "ask");
  return reply.text();
}

std::string advice(const Context& c) {
  auto reply =
      c.reply(mood_of(c.grounding().feeling) == Mood::bright ? Mood::neutral
                                                             : mood_of(c.grounding().feeling));
  reply.say_one_of({"That's worth thinking through together.", "Let's think about it together.",
                    "That's a real question, and it deserves some thought."},
                   "advice");
  weave_memory(c, reply);
  reply.say_one_of({"What matters most to you here?", "What options are you weighing?",
                    "What feels like the right first step to you?", "What does your gut tell you?"},
                   "ask");
  return reply.text();
}

std::string honest_limits(const Context& c) {
  auto reply = c.reply(Mood::neutral);
  reply.say_one_of({"That's a good question.", "Good question.", "Hmm, good question."}, "q");
  reply.say(
      "I'm running on this server's built-in offline engine, so I can't answer general "
      "questions from knowledge of my own.");
  if (c.offers(tool::search_wikipedia)) {
    reply.say("If you'd like, ask me to look it up on Wikipedia.");
  } else if (c.offers(tool::web_search)) {
    reply.say("If you'd like, ask me to search the web for it.");
  } else {
    reply.say("If you have a document about it, upload it and I'll find the answer there.");
  }
  return reply.text();
}

std::string question(const Context& c) {
  if (auto answer = document_answer(c, c.turn.user_text)) return *answer;
  // Asking for advice about one's sister wants help, not the sister's name.
  if (c.says({"should i", "what should", "any advice", "help me", "what would you do",
              "what do you suggest", "what do you recommend"})) {
    return advice(c);
  }
  std::string padded = " " + c.lower + " ";
  bool about_user =
      padded.find(" my ") != std::string::npos || padded.find(" i ") != std::string::npos;
  if (about_user) {
    if (auto answer = answer_from_memories(c.turn.user_text, c.grounding().memories, c.matcher))
      return say_remembered(c, *answer);
  }
  if (padded.find(" you ") != std::string::npos || padded.find(" your ") != std::string::npos)
    return about_companion(c);
  return honest_limits(c);
}

// ---- Conversation -------------------------------------------------------------------------

// The opening, validation and follow-up phrasings for one feeling.
struct Register {
  std::vector<std::string_view> with_reflection;
  std::vector<std::string_view> without_reflection;
  std::vector<std::string_view> support;  // may be empty
  std::vector<std::string_view> questions;
  int question_percent;
};

Register register_for(const core::UserFeeling& feeling, const PersonaVoice& voice) {
  const std::string& e = feeling.emotion;
  Mood mood = mood_of(feeling);
  if (e == "fear") {
    return {{"That sounds really stressful — {r}.", "It makes sense to feel anxious when {r}.",
             "I can hear how much this worries you: {r}."},
            {"That sounds really scary{, name}.", "It's completely okay to feel anxious.",
             "That sounds stressful{, name}."},
            {"Take a slow breath — you're not alone in this.",
             "Whatever happens, we can take it one step at a time."},
            {"What worries you most about it?", "Would it help to talk through what might happen?",
             "What would help you feel a little calmer right now?"},
            100};
  }
  if (mood == Mood::gentle) {
    return {
        {"I'm so sorry to hear that {r}.", "Oh{, name}, I'm sorry — {r}. That sounds really hard.",
         "I'm really sorry that {r}.", "That sounds so hard: {r}."},
        {"I'm so sorry you're feeling this way{, name}.", "That sounds really hard{, name}.",
         "Oh{, name}, I'm sorry. That's a lot to carry.",
         "I'm here with you{, name}. That sounds painful."},
        {"It's okay to feel sad about it.", "Your feelings make complete sense.",
         "Be gentle with yourself today.", "You don't have to go through it alone."},
        {"Do you want to talk about what happened?", "What would help most right now?",
         "How are you holding up?", "Is there anything that might make today a little easier?"},
        100};
  }
  if (mood == Mood::calm) {
    return {{"That sounds really frustrating — {r}.", "I can see why you're upset that {r}.",
             "No wonder you're annoyed: {r}."},
            {"That sounds really frustrating{, name}.", "I can tell you're upset, and that's okay.",
             "That would get to anyone."},
            {"Your frustration makes sense.", "It's okay to be angry about this.",
             "Let's take it one step at a time."},
            {"What happened?", "Do you want to vent a little more? I'm listening.",
             "What would help you let off some steam?"},
            100};
  }
  if (e == "excitement") {
    return {{"How exciting — {r}!", "Oh wow, {r}! That sounds amazing."},
            {"How exciting{, name}!", "That sounds amazing!", "Oh, I love that!"},
            {},
            {"What are you most looking forward to?", "When does it happen?",
             "How are you feeling about it?"},
            75};
  }
  if (e == "love") {
    return {{"That's really sweet — {r}.", "Aw, {r}. That's lovely."},
            {"That's really sweet{, name}.", "That sounds heart-warming."},
            {},
            {"What do you love most about it?", "How did that make you feel?"},
            75};
  }
  if (e == "surprise") {
    return {{"Wow — {r}? I didn't see that coming!", "Oh really? {R}!"},
            {"Wow, that's quite a surprise!", "Oh really?"},
            {},
            {"How do you feel about it?", "What happened next?"},
            75};
  }
  if (mood == Mood::bright) {
    return {{"That's wonderful — {r}!", "I'm so happy to hear that {r}!",
             "Oh, that's great news: {r}!", "How lovely that {r}!"},
            {"That's wonderful{, name}!", "I love hearing that!", "That's great news!",
             "That makes me happy to hear!"},
            {},
            {"How are you going to celebrate?", "What was the best part?", "How does it feel?",
             "Tell me more — what happened?"},
            75};
  }
  if (voice.thoughtful()) {
    return {
        {"So {r}. I've been turning that over.", "I see — {r}.", "Hm, {r}. That's worth a pause."},
        {"I hear you{, name}.", "That's worth thinking about.", "I see what you mean."},
        {},
        {"What does that mean to you?", "What do you make of it?",
         "How do you feel about it, looking back?"},
        65};
  }
  return {{"So {r} — thanks for telling me.", "Ah, {r}. I'm listening.", "I see — {r}.",
           "Got it: {r}.", "Mm, {r}."},
          {"I hear you{, name}.", "Got it.", "Thanks for sharing that with me{, name}.",
           "Mm, I see.", "I'm listening."},
          {},
          {"How do you feel about it?", "What's on your mind about it?", "What happened next?",
           "What made you think of it?", "How did that go?"},
          65};
}

void mention_interest(const Context& c, ReplyBuilder& reply) {
  auto said = c.matcher.terms(c.turn.user_text);
  for (const auto& interest : c.voice.persona().interests) {
    if (c.matcher.match(c.matcher.terms(interest), said).score < 0.99) continue;
    reply.say_one_of({"{Interest} is one of my favourite things to talk about.",
                      "Oh, I love anything to do with {interest}."},
                     "interest",
                     {{"Interest", capitalise_first(interest)}, {"interest", interest}});
    return;
  }
}

std::string converse(const Context& c) {
  const auto& feeling = c.grounding().feeling;
  Mood mood = mood_of(feeling);
  Register words = register_for(feeling, c.voice);
  auto reply = c.reply(mood);
  if (c.says({"good morning", "good afternoon", "good evening"}) || c.lower.starts_with("hi ") ||
      c.lower.starts_with("hi,") || c.lower.starts_with("hello") || c.lower.starts_with("hey")) {
    reply.say_one_of({"Hi{, name}.", "Hello{, name}."}, "hello");
  }
  if (auto r = reflection_of(c.turn.user_text)) {
    reply.say_one_of(words.with_reflection, "opening", {{"r", *r}});
  } else {
    reply.say_one_of(words.without_reflection, "opening");
  }
  if (!words.support.empty()) reply.say_one_of(words.support, "support");
  if (c.voice.empathetic() && (mood == Mood::gentle || mood == Mood::calm))
    reply.say("I'm here for you, whatever you need.");
  weave_memory(c, reply);
  if (mood == Mood::bright || mood == Mood::neutral) mention_interest(c, reply);
  if (c.voice.playful() && mood == Mood::bright && c.choice.chance(50, "joke"))
    reply.say_one_of({"I'd do a little happy dance if I could.", "Cue the confetti!"}, "joke");
  if (c.choice.chance(words.question_percent, "follow-up"))
    reply.say_one_of(words.questions, "question");
  return reply.text();
}

}  // namespace

std::string OfflineReplyComposer::compose(const ConversationTurn& turn, std::uint64_t seed) const {
  PersonaVoice voice(turn.grounding.persona);
  PhraseChoice choice(seed);
  Context c{turn, matcher_, voice, choice, lower_copy(turn.user_text)};
  const std::string& name = turn.intent.name;
  if (name == in::greeting) return greet(c);
  if (name == in::farewell) return farewell(c);
  if (name == in::thanks) return welcome(c);
  if (name == in::identity) return introduce(c);
  if (name == in::memory_question) return recall(c);
  if (name == in::document_question) return documents(c);
  if (!tool_for(turn.intent).empty()) return without_tool(c);
  if (name == in::question) return question(c);
  return converse(c);
}

}  // namespace companion::providers::llm
