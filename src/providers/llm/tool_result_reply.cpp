#include "providers/llm/tool_result_reply.hpp"

#include <boost/json.hpp>
#include <cstring>

#include "core/knowledge/sentence_splitter.hpp"
#include "providers/llm/memory_answer.hpp"
#include "providers/llm/passage_answer.hpp"
#include "providers/llm/persona_voice.hpp"
#include "providers/llm/perspective.hpp"
#include "providers/llm/phrase_choice.hpp"
#include "providers/llm/reply_builder.hpp"
#include "providers/llm/tool_call_planner.hpp"

namespace companion::providers::llm {

namespace json = boost::json;

namespace {

constexpr std::size_t kWebResultsShown = 2;
constexpr std::size_t kSnippetWords = 40;
constexpr std::size_t kExtractSentences = 2;

json::object parse_object(std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error || !value.is_object()) return {};
  return value.as_object();
}

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

const json::object* object_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? &value->as_object() : nullptr;
}

const json::array* array_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_array() ? &value->as_array() : nullptr;
}

double number_of(const json::object& object, std::string_view key, double fallback) {
  const json::value* value = object.if_contains(key);
  if (!value) return fallback;
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  if (value->is_uint64()) return static_cast<double>(value->as_uint64());
  if (value->is_double()) return value->as_double();
  return fallback;
}

bool flag_of(const json::object& object, std::string_view key, bool fallback) {
  const json::value* value = object.if_contains(key);
  return value && value->is_bool() ? value->as_bool() : fallback;
}

// {"error": "..."} or {"error": {"message": "..."}}; empty when the tool succeeded.
std::string error_of(const json::object& result) {
  const json::value* error = result.if_contains("error");
  if (!error || error->is_null()) return "";
  if (error->is_string()) return std::string(error->as_string());
  if (error->is_object()) {
    std::string message = text_of(error->as_object(), "message");
    if (!message.empty()) return message;
  }
  return "something went wrong";
}

std::string trimmed_sentence(std::string text) {
  while (!text.empty() && std::strchr(" .!\n", text.back())) text.pop_back();
  return text;
}

std::string first_words(std::string_view text, std::size_t limit) {
  std::string out;
  std::size_t words = 0;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && ++words >= limit) return trimmed_sentence(out) + " …";
    out += space ? ' ' : c;
  }
  return out;
}

// A stored fact as a clause inside a sentence: "your sister is called Maya".
std::string fact_clause(std::string_view fact) {
  return trimmed_sentence(lowercase_first(third_to_second_person(fact)));
}

struct Writer {
  std::string_view user_text;
  const core::Grounding& grounding;
  const MeaningMatcher& matcher;
  PersonaVoice voice;
  PhraseChoice choice;

  ReplyBuilder reply(Mood mood) const {
    return ReplyBuilder(voice, choice, mood, grounding.user_display_name);
  }
};

std::string apology(const Writer& w, std::string_view tool_name, const std::string& error) {
  std::string failure = "that didn't work";
  if (tool_name == tool::music_control) failure = "I couldn't control the music";
  if (tool_name == tool::save_memory) failure = "I couldn't save that to memory";
  if (tool_name == tool::delete_memory) failure = "I couldn't delete that memory";
  if (tool_name == tool::search_memory) failure = "I couldn't search my memories";
  if (tool_name == tool::semantic_search) failure = "I couldn't search your documents";
  if (tool_name == tool::web_search) failure = "the web search didn't work";
  if (tool_name == tool::search_wikipedia) failure = "I couldn't reach Wikipedia";
  if (tool_name == tool::slides) failure = "I couldn't make the slides";
  auto reply = w.reply(Mood::gentle);
  reply.say("Sorry — {failure}: {error}.",
            {{"failure", failure}, {"error", trimmed_sentence(error)}});
  return reply.text();
}

std::string music_reply(const Writer& w, const json::object& args, const json::object& result) {
  std::string action = text_of(result, "action");
  if (action.empty()) action = text_of(args, "action");
  std::string message = trimmed_sentence(text_of(result, "message"));
  if (!flag_of(result, "ok", true)) {
    auto reply = w.reply(Mood::gentle);
    std::string query = text_of(args, "query");
    if (!message.empty()) {
      reply.say("Sorry, I couldn't do that. {message}.", {{"message", capitalise_first(message)}});
    } else if (!query.empty()) {
      reply.say("Sorry, I couldn't find {query} in your music.", {{"query", query}});
    } else {
      reply.say("Sorry, the music player didn't respond.");
    }
    return reply.text();
  }
  std::string track;
  if (const json::object* now = object_of(result, "now_playing")) {
    track = text_of(*now, "title");
    std::string artist = text_of(*now, "artist");
    if (!track.empty() && !artist.empty()) track += " by " + artist;
  }
  auto reply = w.reply(action == "play" ? Mood::bright : Mood::neutral);
  if (action == "pause") {
    reply.say_one_of({"Paused the music.", "Okay, the music is paused."}, "music");
  } else if (action == "stop") {
    reply.say_one_of({"Stopped the music.", "Okay, the music is off."}, "music");
  } else if (track.empty()) {
    reply.add(message.empty() ? "Done." : message + ".");
  } else if (action == "resume") {
    reply.say("Resuming {track}.", {{"track", track}});
  } else if (action == "next") {
    reply.say("Skipping ahead — now playing {track}.", {{"track", track}});
  } else if (action == "previous") {
    reply.say("Going back — now playing {track}.", {{"track", track}});
  } else {
    reply.say_one_of({"Playing {track}.", "Now playing {track}.", "Here's {track}."}, "music",
                     {{"track", track}});
    if (w.choice.chance(50, "enjoy")) reply.say("Enjoy!");
  }
  return reply.text();
}

std::string saved_reply(const Writer& w, const json::object& args, const json::object& result) {
  std::string content;
  if (const json::object* memory = object_of(result, "memory"))
    content = text_of(*memory, "content");
  if (content.empty()) content = text_of(args, "content");
  auto reply = w.reply(Mood::neutral);
  if (!flag_of(result, "saved", true)) {
    reply.say("I couldn't save that to memory this time, sorry.");
    return reply.text();
  }
  reply.say_one_of({"Done — I'll remember that {fact}.", "Got it — I'll remember that {fact}.",
                    "Noted: {fact}. I won't forget."},
                   "saved", {{"fact", fact_clause(content)}});
  return reply.text();
}

std::string forgotten_reply(const Writer& w, const json::object& args, const json::object& result) {
  auto deleted = static_cast<long long>(number_of(result, "deleted", 0));
  std::string query = trimmed_sentence(first_to_second_person(text_of(args, "query")));
  if (query.empty()) query = "that";
  auto reply = w.reply(Mood::neutral);
  if (deleted == 0) {
    reply.say("I didn't have anything saved about {query}, so there was nothing to forget.",
              {{"query", query}});
  } else if (deleted == 1) {
    reply.say("Done — I've forgotten what you told me about {query}.", {{"query", query}});
  } else {
    std::string count = std::to_string(deleted);
    reply.say("Done — I've forgotten the {count} things you told me about {query}.",
              {{"count", count}, {"query", query}});
  }
  return reply.text();
}

std::string memory_search_reply(const Writer& w, const json::object& result) {
  auto reply = w.reply(Mood::neutral);
  const json::array* results = array_of(result, "results");
  if (results && !results->empty() && results->front().is_object()) {
    std::string content = text_of(results->front().as_object(), "content");
    if (!content.empty()) {
      reply.say("From what I remember, {fact}.", {{"fact", fact_clause(content)}});
      return reply.text();
    }
  }
  reply.say("I couldn't find anything about that in my memories.");
  return reply.text();
}

std::string document_search_reply(const Writer& w, const json::object& args,
                                  const json::object& result) {
  std::vector<core::RetrievedPassage> passages;
  if (const json::array* results = array_of(result, "results")) {
    for (const json::value& item : *results) {
      if (!item.is_object()) continue;
      const json::object& found = item.as_object();
      core::RetrievedPassage passage;
      passage.text = text_of(found, "text");
      passage.document_title = text_of(found, "document_title");
      double page = number_of(found, "page", 0);
      if (page > 0) passage.page = static_cast<int>(page);
      passage.score = number_of(found, "score", 0);
      passages.push_back(std::move(passage));
    }
  }
  std::string question = text_of(args, "query");
  auto answer =
      answer_from_passages(question.empty() ? w.user_text : question, passages, w.matcher);
  if (!answer && !question.empty()) answer = answer_from_passages(w.user_text, passages, w.matcher);
  auto reply = w.reply(Mood::neutral);
  if (answer) {
    reply.say("{text} (source: {source})",
              {{"text", answer->text}, {"source", source_label(*answer)}});
  } else if (passages.empty()) {
    reply.say("I couldn't find anything about that in your documents.");
  } else {
    reply.say("I searched your documents, but nothing in them answers that clearly.");
  }
  return reply.text();
}

std::string web_reply(const Writer& w, const json::object& args, const json::object& result) {
  auto reply = w.reply(Mood::neutral);
  const json::array* results = array_of(result, "results");
  std::vector<std::string> lines;
  if (results) {
    for (const json::value& item : *results) {
      if (lines.size() == kWebResultsShown) break;
      if (!item.is_object()) continue;
      const json::object& found = item.as_object();
      std::string title = text_of(found, "title");
      std::string snippet = trimmed_sentence(first_words(text_of(found, "snippet"), kSnippetWords));
      std::string url = text_of(found, "url");
      if (title.empty() && snippet.empty()) continue;
      std::string line = title.empty() ? snippet : snippet.empty() ? title : title + ": " + snippet;
      lines.push_back(line + (url.empty() ? "." : ". (" + url + ")"));
    }
  }
  // A direct answer the search service computed ("2 + 2 = 4") comes before the pages.
  std::string answer;
  if (const json::array* answers = array_of(result, "answers")) {
    if (!answers->empty() && answers->front().is_string())
      answer = trimmed_sentence(std::string(answers->front().as_string()));
  }
  if (lines.empty() && answer.empty()) {
    std::string query = text_of(args, "query");
    reply.say("I searched the web for \"{query}\" but found nothing useful.",
              {{"query", query.empty() ? std::string(w.user_text) : query}});
    return reply.text();
  }
  reply.say_one_of({"Here's what I found on the web.", "This is what the web says."}, "web");
  if (!answer.empty()) reply.add(capitalise_first(answer) + ".");
  for (const auto& line : lines) reply.add(line);
  return reply.text();
}

std::string wikipedia_reply(const Writer& w, const json::object& args, const json::object& result) {
  std::string title = text_of(result, "title");
  std::string extract = text_of(result, "extract");
  auto reply = w.reply(Mood::neutral);
  if (extract.empty()) {
    std::string subject = title.empty() ? text_of(args, "query") : title;
    reply.say("Wikipedia doesn't seem to have an article on {subject}.", {{"subject", subject}});
    return reply.text();
  }
  std::string opening;
  auto spans = core::split_sentences(extract);
  for (std::size_t i = 0; i < spans.size() && i < kExtractSentences; ++i) {
    if (!opening.empty()) opening += ' ';
    opening += extract.substr(spans[i].begin, spans[i].end - spans[i].begin);
  }
  reply.add(first_words(opening, 80) +
            " (from Wikipedia: " + (title.empty() ? text_of(args, "query") : title) + ")");
  return reply.text();
}

std::string slides_reply(const Writer& w, const json::object& args, const json::object& result) {
  std::string title = text_of(result, "title");
  if (title.empty()) title = text_of(args, "title");
  std::string summary = trimmed_sentence(text_of(result, "summary"));
  auto reply = w.reply(Mood::bright);
  reply.say_one_of({"Your slides are ready: \"{title}\".", "Done — I've put together \"{title}\"."},
                   "slides", {{"title", title.empty() ? "your presentation" : title}});
  if (!summary.empty()) reply.add(capitalise_first(summary) + ".");
  return reply.text();
}

std::string reply_to(const Writer& w, const ToolOutcome& outcome) {
  json::object args = parse_object(outcome.arguments_json);
  json::object result = parse_object(outcome.result_json);
  std::string error = error_of(result);
  if (!error.empty()) return apology(w, outcome.tool, error);
  const std::string& name = outcome.tool;
  if (name == tool::music_control) return music_reply(w, args, result);
  if (name == tool::save_memory) return saved_reply(w, args, result);
  if (name == tool::delete_memory) return forgotten_reply(w, args, result);
  if (name == tool::search_memory) return memory_search_reply(w, result);
  if (name == tool::semantic_search) return document_search_reply(w, args, result);
  if (name == tool::web_search) return web_reply(w, args, result);
  if (name == tool::search_wikipedia) return wikipedia_reply(w, args, result);
  if (name == tool::slides) return slides_reply(w, args, result);
  return "Done.";
}

}  // namespace

std::string reply_from_tool_outcomes(const std::vector<ToolOutcome>& outcomes,
                                     std::string_view user_text, const core::Grounding& grounding,
                                     const MeaningMatcher& matcher, std::uint64_t seed) {
  Writer writer{user_text, grounding, matcher, PersonaVoice(grounding.persona), PhraseChoice(seed)};
  std::string text;
  for (const auto& outcome : outcomes) {
    std::string part = reply_to(writer, outcome);
    if (part.empty()) continue;
    if (!text.empty()) text += ' ';
    text += part;
  }
  return text;
}

}  // namespace companion::providers::llm
