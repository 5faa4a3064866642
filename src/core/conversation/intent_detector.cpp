#include "core/conversation/intent_detector.hpp"

#include <cctype>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <vector>

namespace companion::core {

namespace {

using Phrases = std::span<const std::string_view>;
using PhraseList = std::initializer_list<std::string_view>;

// ---- Phrase tables ------------------------------------------------------------------------
// Data, packed by hand: the formatter would put one phrase per line. Within a table, a
// phrase comes before any shorter phrase it starts with ("remember this" before "remember").
// clang-format off
// What "go back" may go back over.
constexpr std::string_view kBackObjects[] = {
    "a song", "a track", "one song", "one track", "song", "track", "one", "to the last song",
    "to the previous song", "to the last track", "to the previous track"};
// Phrases after which a question names a news topic.
constexpr std::string_view kNewsCues[] = {
    "latest news on", "latest news about", "latest news regarding", "latest news from",
    "news about", "news on", "news regarding", "latest updates on", "latest updates about",
    "any updates on", "latest on", "what's new with", "what is new with", "what's happening with",
    "what is happening with", "what's going on with", "what is going on with", "headlines about",
    "headlines on"};
// Ways to open a thank-you.
constexpr std::string_view kThanksOpenings[] = {
    "thank you so much", "thank you very much", "thanks so much", "thanks a lot", "thanks a bunch",
    "thanks a million", "many thanks", "thank you", "thank u", "thanks", "thanx", "thx", "ty",
    "cheers", "much appreciated", "i appreciate it", "i appreciate that", "i appreciate you",
    "appreciate it", "i'm grateful", "i am grateful"};
// What may follow a goodbye: "bye for now", "good night, sleep well".
constexpr std::string_view kFarewellTails[] = {
    "for now", "now", "then", "soon", "tomorrow", "later", "my friend", "friend", "buddy",
    "everyone", "again", "and thanks", "thanks", "thank you", "sleep well", "bye", "see you",
    "take care", "talk to you", "talk", "good night", "goodnight", "have a good night",
    "have a good day"};
constexpr std::string_view kPoliteLeadIns[] = {
    "hey there", "hi there", "hello there", "hey", "hi", "hello", "yo", "ok so", "okay so", "ok",
    "okay", "alright", "all right", "so", "well", "um", "uh", "oh", "and", "also", "then", "now",
    "actually", "thanks", "thank you", "cool", "great", "please", "kindly", "just", "quickly",
    "go ahead and", "would you mind", "can you please", "could you please", "would you please",
    "will you please", "can you", "could you", "would you", "will you", "can u", "could u",
    "i want you to", "i'd like you to", "i would like you to", "i need you to",
    "i'd love it if you could", "do me a favor and", "do me a favour and", "you can", "you could",
    "you should", "maybe", "why don't you", "how about you", "try and", "try to"};
constexpr std::string_view kFirstPersonLeadIns[] = {
    "let's", "lets", "let us", "i want to", "i wanna", "i'd like to", "i would like to",
    "i'd love to", "i would love to", "i feel like", "can i", "could i", "may i"};
// Things one plays that are not music: "play chess", "play with the dog".
constexpr std::string_view kNotMusic[] = {
    "game", "games", "chess", "checkers", "football", "soccer", "tennis", "basketball", "baseball",
    "volleyball", "hockey", "golf", "cricket", "rugby", "cards", "card", "poker", "bingo",
    "sudoku", "trivia", "pretend", "dead", "fair", "hide", "tag", "catch", "trick", "tricks",
    "role", "roles", "outside", "video", "sport", "sports", "piano", "guitar", "violin", "drums",
    "flute", "instrument", "along", "with", "nice", "hard", "dumb", "it", "around", "minecraft",
    "fortnite", "roblox", "a part", "a prank", "a joke", "jokes", "twenty", "20", "i spy", "word",
    "words", "riddles", "riddle", "ball", "frisbee", "darts", "pool", "billiards", "bridge",
    "monopoly", "scrabble", "board", "hooky", "safe", "smart", "by the rules", "devil's advocate",
    "favorites", "favourites", "me", "you", "us", "them", "him", "her", "this", "that", "what",
    "how", "your", "his", "their", "our", "myself", "yourself", "someone", "something with",
    "rock paper scissors", "tic tac toe", "a round", "a match", "a set", "on", "against",
    "together", "about", "more", "from"};
// Ways to ask for something to be kept; longer phrases before their prefixes.
constexpr std::string_view kRememberVerbs[] = {
    "remember this", "remember", "memorize this", "memorize", "memorise this", "memorise",
    "make a note of the fact", "make a note of this", "make a note", "take a note", "note to self",
    "note this down", "note this", "note down", "note", "keep in mind", "bear in mind",
    "don't forget", "do not forget", "dont forget", "save this to memory", "save to memory",
    "save this", "store this", "write this down", "for future reference"};
constexpr std::string_view kDeckNouns[] = {
    "powerpoint presentation", "slide presentation", "slide deck", "pitch deck", "slide show",
    "slideshow", "set of slides", "power point", "powerpoint", "presentation", "slides", "slide"};
// The question words around an encyclopedia subject.
constexpr std::string_view kSubjectLeads[] = {
    "tell me about", "tell me", "who is", "who was", "who are", "who were", "what is", "what are",
    "what was", "what were", "what's", "who's", "when was", "when is", "where is", "where was",
    "the article on", "the article about", "the page on", "the page about", "about", "for", "on",
    "regarding"};
// Requests that name Wikipedia as the source.
constexpr std::string_view kWikipediaCues[] = {
    "what does the wikipedia article say about", "what does wikipedia say about",
    "what does wikipedia say on", "what does wikipedia have on", "what does wikipedia have about",
    "what does wikipedia know about", "what does wikipedia tell us about",
    "tell me what wikipedia says about", "what wikipedia says about", "what's on wikipedia about",
    "according to wikipedia", "search wikipedia for", "search wikipedia about", "search wikipedia",
    "check wikipedia for", "check wikipedia about", "check wikipedia", "look on wikipedia for",
    "look in wikipedia for", "wikipedia search for", "wikipedia search", "wiki search"};
// Requests to search the web; "search" alone comes last.
constexpr std::string_view kWebSearchVerbs[] = {
    "search the web for", "search the web about", "search the internet for", "search online for",
    "search the net for", "search google for", "search on google for", "search the web",
    "search the internet", "search online", "search google", "do a web search for",
    "do a web search on", "do a web search about", "run a web search for", "web search for",
    "web search", "do a google search for", "google search for", "google search", "google",
    "look online for", "look on the internet for", "look on the web for", "browse the web for",
    "check online for", "check online about", "check the web for", "check the internet for",
    "search for", "search"};
// What "are you a…?" asks about when it asks what the companion is.
constexpr std::string_view kNatureNouns[] = {
    "ai", "a.i", "bot", "robot", "human", "person", "real person", "real", "alive", "sentient",
    "conscious", "machine", "computer", "program", "chatbot", "chat bot", "language model",
    "large language model", "llm", "artificial intelligence", "human being"};
constexpr std::string_view kPleasantries[] = {
    "how are you doing today", "how are you doing", "how are you today", "how are you feeling",
    "how are you", "how's it going", "how is it going", "how have you been",
    "how's your day going", "how is your day going", "how's your day", "how is your day",
    "how are things", "how's everything", "how you doing", "what's up", "whats up", "what's new",
    "nice to meet you", "good to see you", "long time no see", "are you there", "you there"};
// Ways to leave a conversation.
constexpr std::string_view kFarewells[] = {
    "goodbye", "good bye", "bye bye", "bye for now", "bye", "see you later", "see you soon",
    "see you tomorrow", "see you", "see ya", "cya", "good night", "goodnight", "nighty night",
    "night night", "talk to you later", "talk to you soon", "talk to you tomorrow", "talk later",
    "talk soon", "ttyl", "catch you later", "later", "gotta go", "got to go", "i have to go",
    "i've got to go", "i need to go", "i must go", "i'm off to bed", "i'm off", "i am off",
    "i'm leaving", "i'm heading out", "heading out", "i'm going to bed", "going to bed",
    "off to bed", "time for bed", "farewell", "take care", "have a good night", "have a nice day",
    "have a good day", "have a good one", "that's all for now", "that's all for today",
    "that's it for now", "that's it for today", "until next time", "signing off", "ciao", "adios"};
// clang-format on

bool is_word_byte(char c) {
  auto byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) || c == '\'' || byte >= 0x80;
}

bool is_separator(char c) {
  return std::strchr(" ,:;-", c) != nullptr && c != '\0';
}

// The message as the rules read it: whitespace collapsed, typographic quotes straightened,
// the closing punctuation removed. `lower` has the same bytes ASCII-lower-cased, so an
// offset found in it cuts the user's own spelling out of `text`.
struct Utterance {
  std::string text;
  std::string lower;
  bool asked = false;  // ended with a question mark
};

Utterance canonicalise(std::string_view input) {
  Utterance out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    auto c = static_cast<unsigned char>(input[i]);
    if (c == 0xE2 && i + 2 < input.size() && static_cast<unsigned char>(input[i + 1]) == 0x80) {
      auto third = static_cast<unsigned char>(input[i + 2]);
      if (third == 0x98 || third == 0x99 || third == 0x9C || third == 0x9D) {
        out.text += third <= 0x99 ? '\'' : '"';
        i += 2;
        continue;
      }
    }
    if (std::isspace(c)) {
      if (!out.text.empty() && out.text.back() != ' ') out.text += ' ';
      continue;
    }
    out.text += static_cast<char>(c);
  }
  while (!out.text.empty() && std::strchr(" .!?", out.text.back())) {
    if (out.text.back() == '?') out.asked = true;
    out.text.pop_back();
  }
  out.lower = out.text;
  for (char& c : out.lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A stretch of the utterance that rules consume from the front or the back. Phrases match
// whole words only: "play" does not match "player".
class Clause {
 public:
  explicit Clause(const Utterance& utterance)
      : utterance_(&utterance), begin_(0), end_(utterance.text.size()) {
    trim();
  }

  std::string_view lower() const {
    return std::string_view(utterance_->lower).substr(begin_, end_ - begin_);
  }
  std::string text() const { return utterance_->text.substr(begin_, end_ - begin_); }
  bool empty() const { return begin_ >= end_; }
  bool asked() const { return utterance_->asked; }

  std::size_t word_count() const {
    std::size_t count = 0;
    bool in_word = false;
    for (char c : lower()) {
      bool word = c != ' ';
      if (word && !in_word) ++count;
      in_word = word;
    }
    return count;
  }

  std::string_view first_word() const {
    auto l = lower();
    return l.substr(0, l.find(' '));
  }
  // The first character as the user typed it.
  char first_char() const { return empty() ? '\0' : utterance_->text[begin_]; }

  bool starts_with(std::string_view phrase) const {
    auto l = lower();
    return l.starts_with(phrase) && (l.size() == phrase.size() || !is_word_byte(l[phrase.size()]));
  }
  bool starts_with_any(Phrases phrases) const {
    for (auto phrase : phrases)
      if (starts_with(phrase)) return true;
    return false;
  }
  bool starts_with_any(PhraseList phrases) const { return starts_with_any(as_span(phrases)); }

  bool is_any(PhraseList phrases) const {
    for (auto phrase : phrases)
      if (lower() == phrase) return true;
    return false;
  }

  // Drops `phrase` from the front, with the separators after it.
  bool consume(std::string_view phrase) {
    if (!starts_with(phrase)) return false;
    begin_ += phrase.size();
    trim();
    return true;
  }
  // The first of `phrases` that matches (list longer phrases before their prefixes).
  std::optional<std::string_view> consume_any(Phrases phrases) {
    for (auto phrase : phrases)
      if (consume(phrase)) return phrase;
    return std::nullopt;
  }
  std::optional<std::string_view> consume_any(PhraseList phrases) {
    return consume_any(as_span(phrases));
  }

  bool drop_suffix(std::string_view phrase) {
    auto l = lower();
    if (!l.ends_with(phrase)) return false;
    std::size_t start = l.size() - phrase.size();
    if (start > 0 && is_word_byte(l[start - 1])) return false;
    end_ = begin_ + start;
    trim();
    return true;
  }
  bool drop_suffix_any(PhraseList phrases) {
    for (auto phrase : phrases)
      if (drop_suffix(phrase)) return true;
    return false;
  }

  // Where `phrase` first occurs as whole words, relative to the clause.
  std::optional<std::size_t> find(std::string_view phrase) const {
    auto l = lower();
    for (std::size_t at = l.find(phrase); at != std::string_view::npos;
         at = l.find(phrase, at + 1)) {
      bool starts_word = at == 0 || !is_word_byte(l[at - 1]);
      std::size_t after = at + phrase.size();
      bool ends_word = after == l.size() || !is_word_byte(l[after]);
      if (starts_word && ends_word) return at;
    }
    return std::nullopt;
  }
  bool contains(std::string_view phrase) const { return find(phrase).has_value(); }
  bool contains_any(Phrases phrases) const {
    for (auto phrase : phrases)
      if (contains(phrase)) return true;
    return false;
  }
  bool contains_any(PhraseList phrases) const { return contains_any(as_span(phrases)); }

  void skip_word() {
    auto space = lower().find(' ');
    begin_ = space == std::string_view::npos ? end_ : begin_ + space;
    trim();
  }
  // The clause after [offset, offset + length), relative offsets.
  Clause after(std::size_t offset, std::size_t length) const {
    Clause rest = *this;
    rest.begin_ = begin_ + offset + length;
    rest.trim();
    return rest;
  }
  Clause before(std::size_t offset) const {
    Clause head = *this;
    head.end_ = begin_ + offset;
    head.trim();
    return head;
  }

 private:
  static Phrases as_span(PhraseList phrases) { return {phrases.begin(), phrases.size()}; }
  void trim() {
    const std::string& s = utterance_->lower;
    while (begin_ < end_ && is_separator(s[begin_])) ++begin_;
    while (end_ > begin_ && is_separator(s[end_ - 1])) --end_;
  }

  const Utterance* utterance_;
  std::size_t begin_;
  std::size_t end_;
};

DetectedIntent make(std::string_view name, double confidence,
                    std::map<std::string, std::string> slots = {}) {
  return DetectedIntent{std::string(name), confidence, std::move(slots)};
}

constexpr std::string_view kQuestionWords[] = {"what's", "whats", "what", "who's",   "who",
                                               "whom",   "whose", "when", "where's", "where",
                                               "why",    "how's", "how",  "which"};
// Negative forms are left out: "don't forget to…" commands; "don't you think…?" has its "?".
constexpr std::string_view kAuxiliaries[] = {"do",    "does", "did",   "is",    "are",  "was",
                                             "were",  "can",  "could", "would", "will", "should",
                                             "shall", "may",  "might", "have",  "has",  "am"};

bool opens_question(const Clause& clause) {
  return clause.starts_with_any(kQuestionWords) || clause.starts_with_any(kAuxiliaries);
}

// ---- Lead-ins -----------------------------------------------------------------------------

// What the request proper is, once "hey, could you please" is set aside.
struct Request {
  Clause core;
  // The user will do the thing themself ("let's…", "I want to…"): "I want to play football"
  // asks the companion to play nothing.
  bool user_acts = false;
};

Request strip_lead_in(const Clause& whole) {
  Request request{whole};
  Clause& core = request.core;
  // "Luna, play some jazz": a capitalised name before a comma addresses the companion.
  auto first = core.first_word();
  if (std::isupper(static_cast<unsigned char>(core.first_char())) && first.size() > 1 &&
      first.back() == ',' && !core.starts_with_any(kPoliteLeadIns)) {
    core.skip_word();
  }
  for (bool progress = true; progress;) {
    progress = false;
    if (core.consume_any(kPoliteLeadIns)) progress = true;
    if (core.consume_any(kFirstPersonLeadIns)) progress = request.user_acts = true;
  }
  core.drop_suffix_any({"please", "thanks", "thank you", "thx"});
  return request;
}

// ---- Music control ------------------------------------------------------------------------

struct ControlRule {
  std::string_view intent;
  std::string_view action;
  std::vector<std::string_view> verbs;
  std::vector<std::string_view> objects;  // what may follow a verb; "" allows the verb alone
};

const std::vector<ControlRule>& control_rules() {
  static const std::vector<std::string_view> music_things = {
      "the music",  "music",     "the song",     "this song",  "that song", "the track",
      "this track", "playback",  "the playback", "the player", "the tune",  "the playlist",
      "the radio",  "the audio", "the songs",    "the album",  "this album"};
  auto with = [](std::vector<std::string_view> base, std::vector<std::string_view> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  static const std::vector<std::string_view> pausable = with(music_things, {"", "it", "this"});
  static const std::vector<std::string_view> skippable = {
      "",          "song",       "track",    "one",     "tune",       "this",
      "this song", "this track", "this one", "it",      "that",       "that song",
      "the song",  "the track",  "ahead",    "forward", "song please"};
  static const std::vector<std::string_view> one_song = {"song", "track", "tune"};
  static const std::vector<ControlRule> rules = {
      {intent::music_pause, "pause", {"pause"}, pausable},
      {intent::music_resume,
       "resume",
       {"resume playing", "resume playback", "resume", "unpause", "un-pause", "continue playing",
        "keep playing", "carry on playing", "start playing again"},
       pausable},
      {intent::music_resume, "resume", {"continue", "restart"}, music_things},
      {intent::music_next, "next", {"play something else"}, {""}},
      {intent::music_next,
       "next",
       {"skip to the next", "play the next", "go to the next", "play next", "next", "skip"},
       skippable},
      {intent::music_next,
       "next",
       {"play another", "play a different", "change the", "switch the", "another", "a different"},
       one_song},
      {intent::music_previous,
       "previous",
       {"go back to the previous", "skip to the previous", "go to the previous",
        "play the previous", "skip back", "previous"},
       {"", "song", "track", "one", "tune"}},
      {intent::music_previous,
       "previous",
       {"go back one", "go back", "back one", "back"},
       {std::begin(kBackObjects), std::end(kBackObjects)}},
      {intent::music_previous,
       "previous",
       {"replay the last", "play the last"},
       {"song", "track", "song again", "track again", "one again"}},
      {intent::music_stop,
       "stop",
       {"turn the music off", "switch the music off", "shut the music off", "music off",
        "stop the music", "stop playing"},
       {"", "music", "songs", "it", "that", "this song", "now"}},
      {intent::music_stop,
       "stop",
       {"stop", "turn off", "switch off", "shut off", "kill", "end"},
       music_things},
  };
  return rules;
}

std::optional<DetectedIntent> detect_music_control(const Request& request) {
  Clause core = request.core;
  core.drop_suffix_any({"for a second", "for a sec", "for a moment", "for a minute", "for a bit",
                        "for now", "right now", "for me", "now", "please"});
  for (const auto& rule : control_rules()) {
    for (auto verb : rule.verbs) {
      Clause rest = core;
      if (!rest.consume(verb)) continue;
      for (auto object : rule.objects) {
        if (rest.lower() == object)
          return make(rule.intent, 0.92, {{"action", std::string(rule.action)}});
      }
    }
  }
  return std::nullopt;
}

// ---- Music play ---------------------------------------------------------------------------

constexpr std::string_view kMusicWords[] = {
    "music",     "song",       "songs",      "track",     "tracks",  "tune",       "tunes",
    "album",     "playlist",   "record",     "radio",     "band",    "soundtrack", "melody",
    "symphony",  "concerto",   "sonata",     "hits",      "ballad",  "ballads",    "single",
    "jazz",      "rock",       "pop",        "classical", "blues",   "hip hop",    "hip-hop",
    "rap",       "metal",      "country",    "folk",      "reggae",  "soul",       "funk",
    "techno",    "edm",        "lofi",       "lo-fi",     "ambient", "disco",      "punk",
    "indie",     "electronic", "opera",      "gospel",    "salsa",   "k-pop",      "kpop",
    "r&b",       "swing",      "bossa nova", "grunge",    "dubstep", "trance",     "lullaby",
    "lullabies", "beats",      "podcast",    "mixtape",   "anthem",  "orchestra",  "choir"};

bool sounds_like_music(const Clause& object) {
  return object.contains_any(kMusicWords);
}

bool plays_something_else(Clause object) {
  object.consume_any({"a game of", "a round of", "a", "an", "the", "some", "me", "with me"});
  return object.empty() || object.starts_with_any(kNotMusic);  // "listen to me"
}

// "Bohemian Rhapsody", "the Beatles": the user capitalised a title or a name.
bool looks_like_title(Clause object) {
  object.consume("the");
  if (!std::isupper(static_cast<unsigned char>(object.first_char()))) return false;
  return !object.starts_with_any({"i", "my", "your", "a", "an", "some", "his", "her", "their"});
}

// What to play, as the music library should search for it: "some jazz music" → "jazz",
// "music by Queen" → "Queen", "a song" → "" (anything).
std::string music_query(Clause object) {
  object.drop_suffix_any({"in the background", "on repeat", "for a while", "again", "on"});
  while (object.consume_any({"me", "us", "some more", "some", "a little bit of", "a bit of",
                             "a little", "any", "more", "a few"})) {
  }
  object.consume_any({"something by", "something from", "anything by", "music by", "music from",
                      "songs by", "songs from", "a song by", "a song from", "by"});
  if (object.is_any({"music",        "song",           "a song",         "songs",
                     "tunes",        "a tune",         "something",      "anything",
                     "stuff",        "whatever",       "a random song",  "random music",
                     "random songs", "the music",      "good music",     "my music",
                     "any music",    "something nice", "something good", "a good song",
                     "some tunes"})) {
    return "";
  }
  object.consume_any({"something", "the album", "the song", "the track", "the playlist"});
  object.drop_suffix_any({"music", "songs", "tunes"});
  return object.text();
}

std::optional<DetectedIntent> music_play(std::string query, double confidence) {
  return make(intent::music_play, confidence, {{"action", "play"}, {"query", std::move(query)}});
}

std::optional<DetectedIntent> detect_music_play(const Request& request) {
  Clause object = request.core;
  object.drop_suffix_any({"for me", "right now", "now", "please"});
  if (object.is_any({"play", "play music", "play some music", "play a song"}))
    return music_play("", 0.9);
  if (object.consume("play")) {
    if (object.empty()) return std::nullopt;
    bool music = sounds_like_music(object);
    if (!music && (request.user_acts || plays_something_else(object))) return std::nullopt;
    return music_play(music_query(object), music ? 0.93 : 0.85);
  }
  if (object.consume("hear")) {
    if (!sounds_like_music(object) && !looks_like_title(object)) return std::nullopt;
    return music_play(music_query(object), 0.8);
  }
  if (object.consume("listen to")) {
    if (!sounds_like_music(object) && plays_something_else(object)) return std::nullopt;
    if (object.starts_with_any({"the", "a", "an", "to", "people", "advice", "reason", "nothing"}) &&
        !sounds_like_music(object) && !looks_like_title(object)) {
      return std::nullopt;
    }
    return music_play(music_query(object), 0.85);
  }
  if (object.consume("put on") || object.consume_any({"turn on", "switch on"})) {
    if (object.starts_with_any({"my", "your", "his", "her", "their", "a", "an"}) &&
        !sounds_like_music(object)) {
      return std::nullopt;
    }
    if (!sounds_like_music(object) && !looks_like_title(object)) return std::nullopt;
    return music_play(music_query(object), 0.88);
  }
  // "put some jazz on"
  if (object.starts_with("put") && object.drop_suffix("on")) {
    object.consume("put");
    if (!sounds_like_music(object)) return std::nullopt;
    return music_play(music_query(object), 0.88);
  }
  if (object.consume_any({"i'm in the mood for", "i am in the mood for"})) {
    if (!sounds_like_music(object)) return std::nullopt;
    return music_play(music_query(object), 0.8);
  }
  return std::nullopt;
}

// ---- Remember and forget ------------------------------------------------------------------

constexpr std::string_view kFirstPersonOpenings[] = {
    "i'm", "im", "i am", "i've", "i'll", "i'd", "i", "my", "our", "we're", "we", "me and"};

// A statement worth storing: "my sister is called Maya", "I'm vegan". "my name" alone is not.
bool states_a_fact(const Clause& content) {
  std::size_t words = content.word_count();
  if (content.starts_with_any({"my", "our"})) return words >= 3;
  if (content.starts_with_any(kFirstPersonOpenings)) return words >= 2;
  return false;
}

std::optional<DetectedIntent> detect_remember(const Request& request) {
  Clause content = request.core;
  auto verb = content.consume_any(kRememberVerbs);
  if (!verb) return std::nullopt;
  bool says_this = verb->ends_with("this") || verb->ends_with("down") || *verb == "make a note" ||
                   *verb == "take a note" || *verb == "note to self" ||
                   *verb == "for future reference";
  bool explicit_that = static_cast<bool>(content.consume_any({"that", "the fact that"}));
  if (content.starts_with_any({"to", "when", "how", "what", "who", "where", "why", "if", "whether",
                               "which", "me", "the time", "the day", "about"})) {
    return std::nullopt;
  }
  bool worth_saving = states_a_fact(content) ||
                      ((explicit_that || says_this) && content.word_count() >= 2) ||
                      (content.word_count() >= 3 && content.contains_any({"is", "are"}));
  if (!worth_saving) return std::nullopt;
  return make(intent::remember, explicit_that ? 0.93 : 0.86, {{"content", content.text()}});
}

std::optional<DetectedIntent> detect_forget(const Request& request) {
  Clause query = request.core;
  if (query.consume_any({"forget"})) {
    query.consume_any({"everything i told you about", "everything i said about",
                       "what i told you about", "what i said about", "everything about",
                       "anything about", "all about", "about", "that"});
  } else if (query.consume("stop remembering")) {
  } else if (query.consume_any({"delete", "erase", "remove", "clear", "wipe"})) {
    query.consume_any(
        {"all the", "all your", "all my", "any", "all", "the", "my", "your", "that", "this"});
    if (!query.consume_any({"memories", "memory", "notes", "note", "information", "info", "facts",
                            "fact", "everything you know", "anything you know", "what you know",
                            "everything you remember", "what you remember"})) {
      return std::nullopt;
    }
    if (!query.consume_any({"about", "of", "on", "regarding", "that"})) return std::nullopt;
  } else {
    return std::nullopt;
  }
  // "forget it", "forget about it": an idiom for "never mind", not a request.
  if (query.empty() ||
      query.starts_with_any({"to", "it", "that", "this", "them", "him", "her", "me", "you",
                             "everything", "all of it"}) ||
      query.is_any({"it all", "all that", "the whole thing", "what i said", "what i just said",
                    "i said that", "i said anything", "i asked", "i mentioned it"})) {
    return std::nullopt;
  }
  return make(intent::forget, 0.9, {{"query", query.text()}});
}

// ---- Slides -------------------------------------------------------------------------------

constexpr std::string_view kSmallTitleWords[] = {"a",  "an", "the", "of", "and", "or",   "for",
                                                 "to", "in", "on",  "at", "by",  "with", "vs"};

std::string title_case(std::string_view topic) {
  std::string out;
  std::size_t index = 0;
  std::size_t start = 0;
  while (start < topic.size()) {
    std::size_t end = topic.find(' ', start);
    if (end == std::string_view::npos) end = topic.size();
    std::string word(topic.substr(start, end - start));
    bool small = false;
    for (auto s : kSmallTitleWords) small = small || word == s;
    bool has_upper = false;
    for (char c : word) has_upper = has_upper || std::isupper(static_cast<unsigned char>(c));
    if (!has_upper && !(small && index > 0) && !word.empty())
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    if (!out.empty()) out += ' ';
    out += word;
    ++index;
    start = end + 1;
  }
  return out;
}

// Words that may stand between "make" and "slides": "make me a short presentation".
bool skip_deck_modifiers(Clause& clause) {
  static constexpr std::string_view modifiers[] = {
      "a",     "an",     "the",   "some",  "few",    "couple",  "of",     "new",   "short",
      "quick", "simple", "brief", "small", "nice",   "good",    "little", "basic", "detailed",
      "fresh", "my",     "our",   "one",   "two",    "three",   "four",   "five",  "six",
      "seven", "eight",  "nine",  "ten",   "twelve", "fifteen", "twenty", "minute"};
  for (int i = 0; i < 5 && !clause.empty(); ++i) {
    auto word = clause.first_word();
    bool numeric = std::isdigit(static_cast<unsigned char>(word.front()));
    if (!numeric && !clause.starts_with_any(modifiers)) return true;
    clause.skip_word();
  }
  return true;
}

std::optional<DetectedIntent> detect_slides_creation(const Request& request) {
  Clause rest = request.core;
  if (!rest.consume_any({"help me make",  "help me create", "help me build", "help me prepare",
                         "help me write", "make",           "create",        "build",
                         "generate",      "prepare",        "write",         "draft",
                         "put together",  "design",         "produce",       "whip up",
                         "give me",       "i need",         "i want",        "i'd like",
                         "i would like"})) {
    return std::nullopt;
  }
  rest.consume_any({"me", "us"});
  skip_deck_modifiers(rest);
  auto noun = rest.consume_any(kDeckNouns);
  if (!noun) return std::nullopt;
  std::string topic;
  std::string title;
  if (rest.consume_any({"titled", "entitled", "called", "named"})) {
    topic = title = rest.text();
  } else {
    // A playground slide is built "for the kids": one slide needs a subject to be ours.
    auto connector =
        rest.consume_any({"on the topic of", "about", "on", "covering", "regarding", "explaining",
                          "that explains", "to explain", "introducing", "for", "of", "to present"});
    if (*noun == "slide" && (!connector || *connector == "for" || *connector == "of"))
      return std::nullopt;
    if (!connector && !rest.empty()) return std::nullopt;
    topic = rest.text();
    title = title_case(topic);
  }
  return make(intent::slides, 0.92,
              {{"mode", "create"},
               {"title", title},
               {"topic", topic},
               {"instructions", request.core.text()}});
}

// "the slides", "slide 3", "a slide about…": the user's deck, not a playground slide.
bool refers_to_deck(const Clause& clause) {
  if (clause.contains_any(
          {"the slides",        "my slides",        "our slides",      "these slides",
           "those slides",      "the presentation", "my presentation", "our presentation",
           "this presentation", "the slideshow",    "my slideshow",    "the deck",
           "the slide deck",    "my slide deck",    "this slide",      "that slide",
           "the slide",         "the last slide",   "the first slide", "a slide about",
           "a slide on",        "a new slide",      "another slide",   "a slide for",
           "a slide with",      "a slide at"})) {
    return true;
  }
  auto at = clause.find("slide");
  auto lower = clause.lower();
  return at && *at + 6 < lower.size() && std::isdigit(static_cast<unsigned char>(lower[*at + 6]));
}

std::optional<DetectedIntent> detect_slides_update(const Request& request) {
  static constexpr std::string_view update_verbs[] = {
      "update", "edit",    "change", "modify", "revise", "improve", "fix",    "rework",
      "expand", "shorten", "extend", "redo",   "tweak",  "adjust",  "polish", "rewrite"};
  Clause rest = request.core;
  if (rest.consume_any(update_verbs) &&
      rest.consume_any({"the", "my", "our", "these", "this", "that", "your"}) &&
      rest.consume_any(kDeckNouns)) {
    rest.consume_any({"so that", "so", "to", "by", "and", "with"});
    std::string instructions = rest.empty() ? request.core.text() : rest.text();
    return make(intent::slides, 0.9,
                {{"mode", "update"}, {"title", ""}, {"topic", ""}, {"instructions", instructions}});
  }
  static constexpr std::string_view edit_verbs[] = {
      "add",  "remove", "delete", "change", "replace", "rename", "insert", "include", "put",
      "move", "drop",   "cut",    "swap",   "reorder", "make",   "turn",   "split",   "merge"};
  const Clause& core = request.core;
  if (core.starts_with_any(edit_verbs) && refers_to_deck(core)) {
    return make(intent::slides, 0.85,
                {{"mode", "update"}, {"title", ""}, {"topic", ""}, {"instructions", core.text()}});
  }
  return std::nullopt;
}

std::optional<DetectedIntent> detect_slides(const Request& request) {
  if (auto created = detect_slides_creation(request)) return created;
  return detect_slides_update(request);
}

// ---- Searches -----------------------------------------------------------------------------

// "who was Ada Lovelace" → "Ada Lovelace": what an encyclopedia should be asked for.
std::string subject_of(Clause query) {
  query.consume_any(kSubjectLeads);
  return query.text();
}

std::optional<DetectedIntent> detect_wikipedia(const Request& request) {
  if (!request.core.contains_any({"wikipedia", "wiki"})) return std::nullopt;
  Clause query = request.core;
  bool cued = static_cast<bool>(query.consume_any(kWikipediaCues));
  if (!cued) {
    bool asked_to_look = static_cast<bool>(
        query.consume_any({"look up", "search for", "search", "find", "check", "read", "pull up",
                           "get", "show me", "tell me about", "tell me", "look"}));
    bool suffix = query.drop_suffix_any(
        {"on wikipedia", "in wikipedia", "from wikipedia", "on wiki", "on the wikipedia"});
    if (suffix && asked_to_look) {
      query.drop_suffix("up");
      cued = true;
    } else if (!suffix && query.drop_suffix("according to wikipedia")) {
      cued = true;
    } else if (auto at = request.core.find("wikipedia article")) {
      query = request.core.after(*at, std::string_view("wikipedia article").size());
      cued = true;
    } else if (auto page = request.core.find("wikipedia page")) {
      query = request.core.after(*page, std::string_view("wikipedia page").size());
      cued = true;
    }
  }
  if (!cued) return std::nullopt;
  std::string subject = subject_of(query);
  if (subject.empty()) return std::nullopt;
  return make(intent::wikipedia, 0.92, {{"query", subject}});
}

constexpr std::string_view kOnlineSuffixes[] = {"online", "on the web", "on the internet",
                                                "on google", "on the net"};

bool drop_online_suffix(Clause& query) {
  for (auto suffix : kOnlineSuffixes)
    if (query.drop_suffix(suffix)) return true;
  return false;
}

// A search needs a subject: "google is down" and "look it up" name none.
bool names_something(const Clause& query) {
  return !query.empty() &&
         !query.is_any({"it", "that", "this", "them", "something", "anything", "stuff"}) &&
         !query.starts_with_any({"my", "your", "our", "at", "to", "me", "you", "says", "knows",
                                 "just", "always", "never", "'s"}) &&
         !query.starts_with_any(kAuxiliaries);
}

std::optional<DetectedIntent> web_search(std::string query, double confidence) {
  return make(intent::web_search, confidence, {{"query", std::move(query)}});
}

std::optional<DetectedIntent> detect_news(const Request& request) {
  const Clause& core = request.core;
  if (core.is_any({"what's in the news", "what's in the news today", "what's the news",
                   "what's the news today", "what's the latest news", "what is the latest news",
                   "latest news", "any news", "today's news", "today's headlines", "headlines",
                   "the news", "news", "tell me the news", "give me the news", "read me the news",
                   "what are the headlines", "what are today's headlines"})) {
    return web_search("latest news", 0.85);
  }
  // "I saw the news about the fire" reports; only a question or a request asks.
  bool asking =
      core.asked() || opens_question(core) ||
      core.starts_with_any({"tell me", "give me", "show me", "get me", "any", "latest", "find"});
  if (!asking) return std::nullopt;
  for (auto cue : kNewsCues) {
    auto at = core.find(cue);
    if (!at) continue;
    Clause topic = core.after(*at, cue.size());
    topic.drop_suffix_any({"today", "right now", "these days", "lately", "this week"});
    if (!names_something(topic) || topic.starts_with_any({"him", "her", "them", "us", "it"}))
      return std::nullopt;
    return web_search(topic.text() + " news", 0.85);
  }
  return std::nullopt;
}

std::optional<DetectedIntent> detect_web_search(const Request& request) {
  Clause query = request.core;
  auto verb = query.consume_any(kWebSearchVerbs);
  if (verb) {
    if (query.starts_with_any({"my", "your"})) return std::nullopt;  // memories, not the web
    drop_online_suffix(query);
    if (!names_something(query)) return std::nullopt;
    return web_search(query.text(), 0.9);
  }
  if (auto lookup = query.consume_any(
          {"look up", "find out about", "find", "check", "look for", "research", "look"})) {
    bool online = drop_online_suffix(query);
    if (*lookup == "look" && !query.drop_suffix("up")) return std::nullopt;
    if (*lookup != "look up" && *lookup != "look" && !online) return std::nullopt;
    if (!names_something(query)) return std::nullopt;
    return web_search(query.text(), online ? 0.9 : 0.8);
  }
  if (request.core.starts_with_any(
          {"what's the weather", "what is the weather", "how's the weather", "how is the weather",
           "what's the forecast", "what is the forecast", "weather forecast", "will it rain",
           "is it going to rain", "will it snow", "is it going to snow"})) {
    return web_search(std::string(request.core.lower()), 0.8);
  }
  return detect_news(request);
}

// ---- Documents ----------------------------------------------------------------------------

// Explicit references to the user's documents, in lower case. The first pattern always
// counts; the second only inside a question ("in my notes" also occurs in stories).
const std::regex& explicit_document_cue() {
  static const std::regex cue = [] {
    std::string lead =
        "(?:according to|based on|(?:what|how) (?:does|do|did)|does|do|did|in|from|within|using|"
        "^search through|^search|^check|^look in|^look through|^go through|^scan|^look at)";
    std::string owner = "(?:my|our|the|these|those|this|that)";
    std::string document =
        "(?:uploaded |attached |shared )?(?:documents?|docs?|files?|pdfs?|notes|reports?|"
        "handbook|manual|uploads?|contracts?|papers?|spreadsheets?|knowledge base|guide|policy|"
        "articles?|ebook)";
    std::string given =
        "(?: (?:that|which))?(?: (?:i|we) (?:just )?(?:uploaded|shared|sent(?: you)?|gave you|"
        "attached|added|provided|put in))?";
    std::string asks =
        "(?: (?:say|says|said|state|states|mention|mentions|cover|covers|talk about|include|"
        "includes|contain|contains|tell me)(?: anything)?)?";
    std::string about = "(?: (?:about|on|regarding|concerning|for|to see))?";
    return std::regex("\\b" + lead + " " + owner + " " + document + given + asks + about + "\\b",
                      std::regex::ECMAScript | std::regex::optimize);
  }();
  return cue;
}

std::optional<DetectedIntent> detect_document_question(const Request& request) {
  const Clause& core = request.core;
  std::string lower(core.lower());
  std::smatch match;
  if (!std::regex_search(lower, match, explicit_document_cue())) return std::nullopt;
  std::string cue = match.str(0);
  auto has = [&](std::initializer_list<std::string_view> words) {
    for (auto word : words)
      if (cue.find(word) != std::string::npos) return true;
    return false;
  };
  bool asks_content = has({" say", " said", " state", " mention", " cover", " talk about",
                           " include", " contain", " tell me"});
  // "what does my report cost" is no question about its text.
  if ((cue.starts_with("what") || cue.starts_with("how") || cue.starts_with("d")) && !asks_content)
    return std::nullopt;
  bool names_uploads = has({" uploaded", " shared", " sent", " gave you", " attached", " added",
                            " provided", " put in"});
  bool explicit_request = cue.starts_with("according") || cue.starts_with("based") ||
                          cue.starts_with("search") || cue.starts_with("check") ||
                          cue.starts_with("look") || cue.starts_with("go ") ||
                          cue.starts_with("scan");
  // "in my notes", "from the report" alone tell a story; they ask only in a question.
  bool in_question = core.asked() || opens_question(core);
  if (!explicit_request && !names_uploads && !asks_content && !in_question) return std::nullopt;
  Clause head = core.before(static_cast<std::size_t>(match.position(0)));
  Clause tail = core.after(static_cast<std::size_t>(match.position(0)),
                           static_cast<std::size_t>(match.length(0)));
  std::string query = head.text();
  if (!tail.empty()) query += (query.empty() ? "" : " ") + tail.text();
  if (query.empty()) query = core.text();
  return make(intent::document_question, 0.9, {{"query", query}});
}

// ---- The companion and the user -----------------------------------------------------------

std::optional<DetectedIntent> detect_identity(const Request& request) {
  const Clause& core = request.core;
  auto aspect = [](std::string_view name) {
    return make(intent::identity, 0.9, {{"aspect", std::string(name)}});
  };
  if (core.is_any({"what's your name", "what is your name", "whats your name", "who are you",
                   "who is this", "who am i talking to", "who am i speaking to",
                   "who am i speaking with", "who am i talking with", "what should i call you",
                   "what do i call you", "tell me who you are", "tell me your name", "your name",
                   "introduce yourself", "tell me about yourself", "who are you exactly",
                   "who are you really"})) {
    return aspect("name");
  }
  if (core.is_any({"what can you do", "what are you able to do", "what can you help me with",
                   "what can you help with", "how can you help me", "what are your capabilities",
                   "what do you do"})) {
    return aspect("abilities");
  }
  if (core.is_any({"what are you", "what model are you", "which model are you",
                   "what model is this", "what are you running on", "how do you work",
                   "what kind of ai are you", "what ai are you", "what kind of bot are you"})) {
    return aspect("nature");
  }
  Clause rest = core;
  if (!rest.consume_any({"are you", "am i talking to", "am i talking with", "am i chatting with",
                         "am i speaking to", "am i speaking with", "is this"})) {
    return std::nullopt;
  }
  rest.consume_any({"actually", "really", "just", "some kind of", "some sort of", "a kind of"});
  rest.consume_any({"a", "an"});
  if (rest.starts_with_any(kNatureNouns)) {
    return aspect("nature");
  }
  return std::nullopt;
}

bool mentions_the_user(const Clause& clause) {
  return clause.contains_any({"my", "i", "me", "mine", "myself", "i'm", "i've", "i'd"});
}

std::optional<DetectedIntent> detect_memory_question(const Request& request) {
  const Clause& core = request.core;
  auto recall = [&](std::string scope) {
    return make(intent::memory_question, 0.8, {{"query", core.text()}, {"scope", scope}});
  };
  if (core.is_any({"who am i", "what do you know about me", "what do you remember about me",
                   "what have i told you", "what have i told you about myself",
                   "tell me what you know about me", "tell me about myself",
                   "what do you know of me", "what else do you know about me",
                   "what have you learned about me", "what did i tell you", "what do you remember",
                   "what do you know"})) {
    return recall("all");
  }
  Clause rest = core;
  bool recalling = static_cast<bool>(
      rest.consume_any({"do you remember", "do you recall", "do you know", "can you remember",
                        "can you recall", "did i ever tell you", "did i tell you", "did i mention",
                        "have i told you", "have i mentioned", "remind me", "you remember"}));
  // "can you remember my birthday?" reaches here as "remember my birthday?".
  if (!recalling && core.asked())
    recalling = static_cast<bool>(rest.consume_any({"remember", "recall"}));
  if (recalling) {
    if (mentions_the_user(rest)) return recall("one");
    return std::nullopt;
  }
  if (core.starts_with_any(kQuestionWords)) {
    if (core.starts_with_any(
            {"why",           "how do i",          "how can i",      "how should i",
             "how could i",   "how would i",       "what should i",  "what can i",
             "what could i",  "what would i",      "where should i", "where can i",
             "when should i", "which should i",    "who should i",   "what if i",
             "how do you",    "what do you think", "how are you",    "how about"})) {
      return std::nullopt;
    }
    if (core.contains_any({"my", "do i", "did i", "am i", "have i", "was i", "i have", "i like",
                           "i live", "i work"})) {
      return recall("one");
    }
    return std::nullopt;
  }
  if (core.asked() &&
      (core.starts_with_any({"is my", "are my", "was my", "were my", "does my", "did my"}) ||
       (core.starts_with_any({"do i", "did i"}) &&
        core.contains_any({"like", "love", "enjoy", "have", "own", "work", "live", "hate",
                           "dislike", "prefer", "study", "drive", "speak", "play", "tell"})))) {
    return recall("one");
  }
  return std::nullopt;
}

// ---- Social moves -------------------------------------------------------------------------

bool is_pleasantry(const Clause& clause) {
  for (auto p : kPleasantries)
    if (clause.lower() == p) return true;
  return false;
}

// "hi Luna", "hey friend": a greeting may name whom it greets.
bool is_form_of_address(const Clause& clause) {
  if (clause.word_count() != 1) {
    return clause.is_any({"my friend", "old friend", "there friend", "again friend"});
  }
  return std::isupper(static_cast<unsigned char>(clause.first_char())) ||
         clause.is_any({"friend", "buddy", "pal", "mate", "again", "everyone", "you", "dear",
                        "love", "bestie", "there"});
}

std::optional<DetectedIntent> detect_greeting(const Clause& whole) {
  if (is_pleasantry(whole)) return make(intent::greeting, 0.9);
  Clause rest = whole;
  if (!rest.consume_any({"good morning", "good afternoon", "good evening", "good day", "hey there",
                         "hi there", "hello there", "hiya", "heya", "howdy", "hello", "hey", "hi",
                         "yo", "greetings", "morning", "evening", "sup", "hola"})) {
    return std::nullopt;
  }
  rest.consume("again");
  if (rest.empty() || is_pleasantry(rest) || is_form_of_address(rest))
    return make(intent::greeting, 0.95);
  // "hi Luna, how are you"
  Clause after_name = rest;
  if (std::isupper(static_cast<unsigned char>(after_name.first_char()))) {
    after_name.skip_word();
    if (is_pleasantry(after_name)) return make(intent::greeting, 0.95);
  }
  return std::nullopt;
}

std::optional<DetectedIntent> detect_farewell(const Clause& whole) {
  Clause rest = whole;
  while (rest.consume_any({"ok", "okay", "alright", "all right", "well", "thanks again",
                           "thank you", "thanks", "anyway", "so"})) {
  }
  if (!rest.consume_any(kFarewells)) {
    return std::nullopt;
  }
  while (rest.consume_any(kFarewellTails)) {
  }
  if (rest.empty() ||
      (rest.word_count() <= 2 && std::isupper(static_cast<unsigned char>(rest.first_char())))) {
    return make(intent::farewell, 0.92);
  }
  return std::nullopt;
}

std::optional<DetectedIntent> detect_thanks(const Clause& whole) {
  if (whole.starts_with_any({"no thanks", "no thank you", "thanks but no", "no"}))
    return std::nullopt;
  if (whole.starts_with_any(kThanksOpenings) && whole.word_count() <= 12 && !whole.asked())
    return make(intent::thanks, 0.92);
  Clause rest = whole;
  if (whole.word_count() <= 10 && !whole.asked() &&
      rest.drop_suffix_any(
          {"thank you so much", "thanks so much", "thanks a lot", "thank you", "thanks"})) {
    return make(intent::thanks, 0.85);
  }
  return std::nullopt;
}

DetectedIntent classify_plain(const Clause& whole) {
  bool how_exclaims =
      whole.starts_with("how") && !whole.asked() &&
      !whole.starts_with_any({"how do", "how does", "how did", "how is", "how are", "how was",
                              "how were", "how can", "how could", "how would", "how should",
                              "how many", "how much", "how long", "how old", "how far", "how often",
                              "how about", "how come"});
  bool question = whole.asked() || (!how_exclaims && opens_question(whole)) ||
                  whole.starts_with_any({"tell me", "explain", "any idea", "i wonder"});
  return question ? make(intent::question, 0.6) : make(intent::statement, 0.5);
}

}  // namespace

DetectedIntent IntentDetector::detect(std::string_view text) const {
  Utterance utterance = canonicalise(text);
  Clause whole(utterance);
  if (whole.empty()) return make(intent::statement, 0.0);
  Request request = strip_lead_in(whole);
  if (!request.core.empty()) {
    using Rule = std::optional<DetectedIntent> (*)(const Request&);
    // Order matters: "play the next song" is a skip before it is a play, "search my
    // documents" reads documents before it searches the web.
    static constexpr Rule tool_rules[] = {detect_music_control, detect_slides,
                                          detect_remember,      detect_forget,
                                          detect_wikipedia,     detect_document_question,
                                          detect_web_search,    detect_music_play};
    for (Rule rule : tool_rules)
      if (auto found = rule(request)) return *found;
  }
  if (auto social = detect_greeting(whole)) return *social;
  if (auto social = detect_farewell(whole)) return *social;
  if (auto social = detect_thanks(whole)) return *social;
  if (!request.core.empty()) {
    if (auto found = detect_identity(request)) return *found;
    if (auto found = detect_memory_question(request)) return *found;
  }
  return classify_plain(whole);
}

std::string published_intent_name(std::string_view name) {
  static const std::map<std::string_view, std::string_view> renamed{
      {intent::music_play, "play_music"},         {intent::music_pause, "pause_music"},
      {intent::music_resume, "resume_music"},     {intent::music_stop, "stop_music"},
      {intent::music_next, "next_song"},          {intent::music_previous, "previous_song"},
      {intent::remember, "store_memory"},         {intent::forget, "delete_memory"},
      {intent::memory_question, "recall_memory"}, {intent::document_question, "document_query"}};
  if (name.empty()) return "conversation";
  auto it = renamed.find(name);
  return std::string(it == renamed.end() ? name : it->second);
}

}  // namespace companion::core
