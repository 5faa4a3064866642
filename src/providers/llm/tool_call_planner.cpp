#include "providers/llm/tool_call_planner.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <initializer_list>

#include "core/embedding/stable_hash.hpp"
#include "core/embedding/tokenizer.hpp"
#include "providers/llm/perspective.hpp"

namespace companion::providers::llm {

namespace json = boost::json;

namespace {

std::string slot(const core::DetectedIntent& intent, const std::string& name) {
  auto found = intent.slots.find(name);
  return found == intent.slots.end() ? std::string() : found->second;
}

bool offered(const std::vector<std::string>& tools, std::string_view name) {
  return std::find(tools.begin(), tools.end(), name) != tools.end();
}

std::string call_id(std::uint64_t seed, std::string_view tool_name) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(core::mix64(seed ^ core::stable_hash(tool_name))));
  return "call_" + std::string(hex);
}

// Lasting facts about who the user is weigh more than what they plan this week.
double importance_of(std::string_view category) {
  if (category == "personal") return 0.8;
  if (category == "work" || category == "preferences") return 0.7;
  if (category == "context") return 0.6;
  return 0.5;
}

// The arguments for the intent's tool, or nullopt when the request lacks what it needs.
std::optional<json::object> arguments_for(const core::DetectedIntent& intent,
                                          const core::Grounding& grounding) {
  json::object args;
  const std::string& name = intent.name;
  if (name.starts_with("music_")) {
    args["action"] = slot(intent, "action");
    std::string query = slot(intent, "query");
    if (!query.empty()) args["query"] = query;
  } else if (name == core::intent::remember) {
    std::string content = slot(intent, "content");
    if (content.empty()) return std::nullopt;
    std::string fact = first_to_third_person(content);
    std::string category = memory_category(fact);
    args["content"] = fact;
    args["category"] = category;
    args["importance"] = importance_of(category);
  } else if (name == core::intent::slides) {
    std::string topic = slot(intent, "topic");
    std::string instructions = slot(intent, "instructions");
    if (slot(intent, "mode") == "create" && topic.empty()) return std::nullopt;
    args["title"] = slot(intent, "title");
    args["topic"] = topic;
    args["instructions"] = instructions;
  } else if (name == core::intent::document_question) {
    // The turn already retrieved passages: answer from them rather than search again.
    if (!grounding.passages.empty()) return std::nullopt;
    args["query"] = slot(intent, "query");
  } else {
    std::string query = slot(intent, "query");
    if (query.empty()) return std::nullopt;
    args["query"] = query;
  }
  return args;
}

}  // namespace

std::string_view tool_for(const core::DetectedIntent& intent) {
  namespace in = core::intent;
  const std::string& name = intent.name;
  if (name.starts_with("music_")) return tool::music_control;
  if (name == in::remember) return tool::save_memory;
  if (name == in::forget) return tool::delete_memory;
  if (name == in::slides) return tool::slides;
  if (name == in::web_search) return tool::web_search;
  if (name == in::wikipedia) return tool::search_wikipedia;
  if (name == in::document_question) return tool::semantic_search;
  return {};
}

std::optional<core::ToolCall> plan_tool_call(const core::DetectedIntent& intent,
                                             const core::Grounding& grounding,
                                             const std::vector<std::string>& available_tools,
                                             std::uint64_t call_seed) {
  std::string_view name = tool_for(intent);
  if (name.empty() || !offered(available_tools, name)) return std::nullopt;
  auto args = arguments_for(intent, grounding);
  if (!args) return std::nullopt;
  return core::ToolCall{call_id(call_seed, name), std::string(name), json::serialize(*args)};
}

std::string memory_category(std::string_view fact) {
  auto words = core::tokenize_words(fact);
  auto mentions = [&](std::initializer_list<std::string_view> cues) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
      return std::find(cues.begin(), cues.end(), word) != cues.end();
    });
  };
  // Time-bound things first: "a meeting with their boss on Friday" is context, not work.
  if (mentions({"appointment", "tomorrow",  "today",  "tonight",  "monday", "tuesday",
                "wednesday",   "thursday",  "friday", "saturday", "sunday", "weekend",
                "week",        "plan",      "plans",  "going",    "trip",   "deadline",
                "exam",        "interview", "party",  "wedding",  "flight", "soon",
                "next",        "reminder",  "due"})) {
    return "context";
  }
  if (mentions({"work", "works", "job", "boss", "colleague", "colleagues", "office", "career",
                "company", "manager", "employer", "team", "client", "clients", "profession"})) {
    return "work";
  }
  if (mentions({"like", "likes", "love", "loves", "enjoy", "enjoys", "favorite", "favourite",
                "prefer", "prefers", "hate", "hates", "dislike", "dislikes"})) {
    return "preferences";
  }
  if (mentions({"name",      "birthday", "born",    "age",        "old",       "live",
                "lives",     "allergic", "allergy", "sister",     "brother",   "mother",
                "mom",       "mum",      "father",  "dad",        "wife",      "husband",
                "son",       "daughter", "partner", "girlfriend", "boyfriend", "family",
                "kids",      "children", "pet",     "dog",        "cat",       "vegan",
                "vegetarian"})) {
    return "personal";
  }
  return "general";
}

}  // namespace companion::providers::llm
