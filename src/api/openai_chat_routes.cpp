#include "api/openai_chat_routes.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "core/characters/character_service.hpp"
#include "core/llm/model_router.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_messages = 500;
constexpr std::size_t max_content = 100000;

constexpr const char* completion_schema = R"({
  "type": "object",
  "required": ["messages"],
  "properties": {
    "model": {"type": "string", "description": "A character id (friend, assistant, creative, coach, …) or a model id from /v1/models"},
    "messages": {"type": "array", "items": {"type": "object", "required": ["role", "content"], "properties": {
      "role": {"type": "string", "enum": ["system", "user", "assistant", "tool", "developer"]},
      "content": {"type": ["string", "array", "null"]}}}},
    "stream": {"type": "boolean", "default": false},
    "stream_options": {"type": "object", "properties": {"include_usage": {"type": "boolean"}}},
    "temperature": {"type": "number", "minimum": 0, "maximum": 2},
    "max_tokens": {"type": "integer", "minimum": 1},
    "user": {"type": "string", "description": "Admins only: the user to act for"}
  }
})";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Content as a string, or as an array of parts of which the text parts count.
std::optional<std::string> content_text(const json::value& content) {
  if (content.is_string()) return std::string(content.as_string());
  if (content.is_null()) return std::string();
  if (!content.is_array()) return std::nullopt;
  std::string text;
  for (const auto& part : content.as_array()) {
    if (!part.is_object()) return std::nullopt;
    const auto* type = part.as_object().if_contains("type");
    const auto* value = part.as_object().if_contains("text");
    if (type && type->is_string() && type->as_string() == "text" && value && value->is_string()) {
      if (!text.empty()) text += "\n";
      text += std::string(value->as_string());
    }
  }
  return text;
}

struct Conversation {
  std::vector<core::ChatMessage> history;
  std::string last_user_text;
};

Conversation read_messages(http::JsonBody& body) {
  Conversation out;
  const auto* raw = body.raw("messages");
  if (!raw) {
    body.add_error("messages", "field required", "value_error.missing");
    return out;
  }
  if (!raw->is_array() || raw->as_array().empty() || raw->as_array().size() > max_messages) {
    body.add_error("messages", "must be a non-empty list of at most 500 messages",
                   "value_error.list");
    return out;
  }
  std::vector<core::ChatMessage> all;
  for (const auto& item : raw->as_array()) {
    const auto* role = item.is_object() ? item.as_object().if_contains("role") : nullptr;
    const auto* content = item.is_object() ? item.as_object().if_contains("content") : nullptr;
    std::optional<std::string> text = content ? content_text(*content) : std::nullopt;
    if (!role || !role->is_string() || !text || text->size() > max_content) {
      body.add_error("messages", "each message needs a role and text content", "value_error");
      return out;
    }
    std::string role_name(role->as_string());
    // "developer" is the newer name of the system role.
    auto parsed =
        role_name == "developer" ? core::ChatRole::System : core::parse_chat_role(role_name);
    all.push_back({parsed, std::move(*text), {}, {}, {}});
  }
  if (all.back().role != core::ChatRole::User) {
    body.add_error("messages", "the last message must be the user's", "value_error");
    return out;
  }
  out.last_user_text = all.back().content;
  all.pop_back();
  out.history = std::move(all);
  return out;
}

struct Selection {
  std::string character_id;
  std::string model;
};

// "friend" → that character with its own model; "offline/companion" → the default
// character with that model.
Selection select(ChatDeps& deps, std::int64_t user_id, const std::string& requested) {
  if (requested.empty()) return {std::string(core::default_persona_id), ""};
  if (deps.characters->resolve(user_id, requested)) return {requested, ""};
  try {
    deps.models->resolve(requested);
  } catch (const core::LlmError&) {
    throw http::HttpError(404, "The model '" + requested + "' does not exist", "model_not_found");
  }
  return {std::string(core::default_persona_id), requested};
}

json::object usage_json(const core::TurnResult& r) {
  return {{"prompt_tokens", r.usage.prompt_tokens},
          {"completion_tokens", r.usage.completion_tokens},
          {"total_tokens", r.usage.total()}};
}

std::string finish_name(const core::TurnResult& r) {
  return r.finish == core::FinishReason::Length ? "length" : "stop";
}

json::object chunk(const std::string& id, std::int64_t created, const std::string& model,
                   json::object delta, json::value finish) {
  return {{"id", id},
          {"object", "chat.completion.chunk"},
          {"created", created},
          {"model", model},
          {"choices",
           json::array{json::object{
               {"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish)}}}}};
}

http::SseEvent data_event(const json::object& body, const std::string& id) {
  return {"", http::to_json_text(body), id, 0};
}

http::Response completions(ChatDeps& deps, http::Request& req) {
  http::JsonBody body(req);
  auto conversation = read_messages(body);
  auto model = body.optional_string("model", 200).value_or("");
  auto stream = body.optional_bool("stream").value_or(false);
  auto temperature = body.optional_number("temperature", 0, 2);
  auto max_tokens = body.optional_int("max_tokens", 1, 1'000'000);
  auto named = body.optional_string("user", 64).value_or("");
  bool include_usage = false;
  if (auto options = body.optional_object("stream_options")) {
    if (const auto* v = options->if_contains("include_usage"); v && v->is_bool())
      include_usage = v->as_bool();
  }
  body.check();
  // "user" is only a name for an admin acting for someone; for anyone else it is ignored,
  // as OpenAI treats it as an opaque end-user tag.
  auto user = chat_user(deps, req, req.principal && req.principal->is_admin() ? named : "");
  auto selection = select(deps, user.user_id, model);
  // One conversation per user and character: what the SDK's user says is kept and learnt.
  auto conversation_id = "oai-" + selection.character_id + "-" + std::to_string(user.user_id);
  auto request = turn_request_for(user, conversation_id, "openai", conversation.last_user_text);
  request.character_id = selection.character_id;
  request.model = selection.model;
  request.client_history = std::move(conversation.history);
  request.temperature = temperature;
  if (max_tokens) request.max_tokens = static_cast<int>(*max_tokens);
  std::string shown_model = model.empty() ? selection.character_id : model;

  if (!stream) {
    auto result = run_whole_turn(deps, std::move(request));
    if (result.status == core::TurnStatus::Failed)
      throw http::HttpError(502, "The language model could not answer: " + result.error);
    json::object message{{"role", "assistant"}, {"content", result.reply}};
    return http::Response::json(
        200,
        json::object{{"id", "chatcmpl-" + result.turn_id},
                     {"object", "chat.completion"},
                     {"created", unix_now()},
                     {"model", shown_model},
                     {"choices", json::array{json::object{{"index", 0},
                                                          {"message", std::move(message)},
                                                          {"finish_reason", finish_name(result)}}}},
                     {"usage", usage_json(result)}});
  }

  auto turn = start_turn(deps, std::move(request));
  auto id = "chatcmpl-" + turn->turn_id();
  auto created = unix_now();
  auto format = [id, created, shown_model, include_usage](const core::StreamEvent& event) {
    using Kind = core::StreamEvent::Kind;
    std::vector<http::SseEvent> out;
    if (event.kind == Kind::Start) {
      out.push_back(data_event(
          chunk(id, created, shown_model, {{"role", "assistant"}, {"content", ""}}, nullptr),
          event.id));
    } else if (event.kind == Kind::Text) {
      out.push_back(data_event(chunk(id, created, shown_model, {{"content", event.text}}, nullptr),
                               event.id));
    } else if (event.kind == Kind::End) {
      const auto& result = *event.end;
      if (result.status == core::TurnStatus::Failed) {
        json::object error{
            {"error", json::object{{"message", result.error}, {"type", "server_error"}}}};
        out.push_back(data_event(error, event.id));
      } else {
        out.push_back(data_event(
            chunk(id, created, shown_model, {}, json::value(finish_name(result))), event.id));
        if (include_usage) {
          json::object usage{{"id", id},
                             {"object", "chat.completion.chunk"},
                             {"created", created},
                             {"model", shown_model},
                             {"choices", json::array{}},
                             {"usage", usage_json(result)}};
          out.push_back(data_event(usage, event.id));
        }
      }
      out.push_back({"", "[DONE]", event.id, 0});
    }
    return out;
  };
  return relay_turn_as_sse(turn, 0, format);
}

http::Response models(ChatDeps& deps, http::Request& req) {
  json::array data;
  auto created = unix_now();
  for (const auto& info : deps.models->list()) {
    data.push_back({{"id", info.id},
                    {"object", "model"},
                    {"created", created},
                    {"owned_by", info.owned_by.empty() ? info.provider : info.owned_by},
                    {"description", info.description}});
  }
  std::int64_t user_id = req.principal ? req.principal->user_id : 0;
  for (const auto& character : deps.characters->list(user_id)) {
    data.push_back(
        {{"id", character.id},
         {"object", "model"},
         {"created", character.created_at},
         {"owned_by", "companion-character"},
         {"description", "Character \"" + character.name + "\": " + character.description}});
  }
  return http::Response::json(200, json::object{{"object", "list"}, {"data", std::move(data)}});
}

}  // namespace

void register_openai_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  http::Route chat;
  chat.method = http::Method::Post;
  chat.pattern = "/v1/chat/completions";
  chat.access = http::Access::User;
  chat.rate_group = "chat";
  chat.long_running = true;  // without stream: true the whole turn runs before the answer
  chat.doc = {"OpenAI-compatible chat completions (streamed with stream: true)", "OpenAI",
              "The model selects a character or a model. The conversation is remembered per "
              "user and character: facts stated go to memory and replies draw on it."};
  chat.doc.request_schema = completion_schema;
  chat.doc.error_statuses = {401, 404, 422, 429, 502};
  chat.handler = [deps](http::Request& req) { return completions(*deps, req); };
  router.add(std::move(chat));

  http::Route list;
  list.method = http::Method::Get;
  list.pattern = "/v1/models";
  list.access = http::Access::User;
  list.doc = {"Models and characters a chat completion may name", "OpenAI", ""};
  list.doc.error_statuses = {401};
  list.handler = [deps](http::Request& req) { return models(*deps, req); };
  router.add(std::move(list));
}

}  // namespace companion::api
