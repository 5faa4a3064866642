#include "api/voice_chat_routes.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>

#include "core/conversation/intent_detector.hpp"
#include "core/executor.hpp"
#include "core/memory/memory_service.hpp"
#include "core/sessions/session_id.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_message = 10000;
constexpr std::string_view default_client_type = "server";  // the document's default
constexpr std::string_view documented_default_user = "default_user";
constexpr std::string_view save_memory_tool = "save_memory";

constexpr const char* chat_schema = R"({
  "type": "object",
  "required": ["message"],
  "properties": {
    "message": {"type": "string", "minLength": 1, "maxLength": 10000},
    "session_id": {"type": "string", "description": "Continue this session; generated as {user_id}_{YYYYMMDD}_{8 hex} when absent"},
    "user_id": {"type": "string", "default": "default_user", "description": "Admins only: the user to act for"},
    "client_type": {"type": "string", "default": "server"}
  }
})";

constexpr const char* reply_schema = R"({
  "type": "object",
  "properties": {
    "response": {"type": "string"},
    "intent": {"type": "string", "description": "e.g. play_music, store_memory, recall_memory, question"},
    "confidence": {"type": "number"},
    "action_executed": {"type": ["string", "null"], "description": "The tool the turn ran"},
    "action_data": {"type": ["object", "null"]},
    "memory_stored": {"type": "boolean"},
    "memory_category": {"type": ["string", "null"]},
    "rag_used": {"type": "boolean"},
    "duration_ms": {"type": "number", "description": "measured"},
    "session_id": {"type": "string"},
    "turn_id": {"type": "string"},
    "metadata": {"type": "object", "properties": {
      "session_id": {"type": "string"}, "user_id": {"type": "string"},
      "client_type": {"type": "string"}, "timestamp": {"type": "string"}}}
  }
})";

constexpr const char* conversations_schema = R"({
  "type": "array",
  "items": {"type": "object", "properties": {
    "id": {"type": "integer"}, "session_id": {"type": "string"}, "turn_no": {"type": "integer"},
    "user_input": {"type": "string"}, "assistant_response": {"type": "string"},
    "intent_type": {"type": "string"}, "timestamp": {"type": "string"}}}
})";

json::value json_or_text(const std::string& text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec) return json::string(text);
  return parsed;
}

// The document's action is the tool the turn ran (the last, when it ran several).
const core::ToolActivity* executed_action(const core::TurnResult& result) {
  return result.tools.empty() ? nullptr : &result.tools.back();
}

json::value action_name_json(const core::TurnResult& result) {
  const auto* action = executed_action(result);
  if (!action) return nullptr;
  return json::string(action->tool);
}

json::value action_data_json(const core::TurnResult& result) {
  const auto* action = executed_action(result);
  if (!action) return nullptr;
  bool ok = action->phase == core::ToolActivity::Phase::Finished;
  json::object data{{"action", action->tool},
                    {"arguments", json_or_text(action->arguments_json)},
                    {"success", ok}};
  if (ok) {
    data["result"] = json_or_text(action->result_preview);
  } else {
    data["error"] = action->error;
  }
  return data;
}

const core::ToolActivity* saved_memory(const core::TurnResult& result) {
  for (auto it = result.tools.rbegin(); it != result.tools.rend(); ++it) {
    if (it->tool == save_memory_tool && it->phase == core::ToolActivity::Phase::Finished)
      return &*it;
  }
  return nullptr;
}

bool memory_stored(const core::TurnResult& result) {
  return !result.remembered.empty() || saved_memory(result) != nullptr;
}

// The category of what the turn remembered: the stored fact's own, else what the memory
// tool was asked to file it under.
json::value memory_category(ChatDeps& deps, std::int64_t user_id, const core::TurnResult& result) {
  if (!result.remembered.empty() && deps.memory) {
    for (const auto& memory : deps.memory->list(user_id, {}, 50)) {
      if (memory.content == result.remembered.front()) return json::string(memory.category);
    }
  }
  if (const auto* saved = saved_memory(result)) {
    auto arguments = json_or_text(saved->arguments_json);
    if (const auto* category =
            arguments.is_object() ? arguments.as_object().if_contains("category") : nullptr;
        category && category->is_string())
      return *category;
    return json::string("general");
  }
  return nullptr;
}

double rounded(double value) {
  return std::round(value * 10) / 10;
}

double ms_since(http::Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(http::Clock::now() - start).count();
}

// Who a Voice Assistant session talks to, as its messages' metadata says.
struct VoiceParty {
  std::string session_id;
  std::string user_id;      // the public user id
  std::string client_type;  // empty: the conversation's own
};

json::object metadata_json(const VoiceParty& party) {
  return {{"session_id", party.session_id},
          {"user_id", party.user_id},
          {"client_type", party.client_type},
          {"timestamp", http::iso8601_now()}};
}

json::object voice_error(std::string_view message) {
  return {{"type", "error"}, {"message", message}, {"timestamp", http::iso8601_now()}};
}

struct ChatInput {
  std::string message;
  std::optional<std::string> session_id;
  std::string named_user;
  std::string client_type;
};

ChatInput read_chat_input(const http::Request& req) {
  http::JsonBody body(req);
  ChatInput input;
  input.message = body.required_string("message", 1, max_message);
  input.session_id = body.optional_string("session_id", 128);
  input.named_user = body.optional_string("user_id", 64).value_or("");
  input.client_type =
      body.optional_string("client_type", 64).value_or(std::string(default_client_type));
  if (input.session_id && !core::is_valid_session_id(*input.session_id))
    body.add_error("session_id", "1 to 128 letters, digits or _-.:", "value_error.str.regex");
  if (input.client_type.empty()) input.client_type = default_client_type;
  body.check();
  return input;
}

// The user the request acts for. Clients copy the document's default "default_user"
// literally: for anyone but an admin that means themselves.
core::Principal acting_user(ChatDeps& deps, const http::Request& req, std::string named) {
  bool admin = req.principal && req.principal->is_admin();
  if (named == documented_default_user && !admin) named.clear();
  return chat_user(deps, req, named);
}

std::string session_for(const ChatInput& input, const core::Principal& user) {
  if (input.session_id) return *input.session_id;
  return core::generate_session_id(user.username, std::chrono::system_clock::now());
}

json::object reply_json(ChatDeps& deps, std::int64_t user_id, const core::TurnResult& result,
                        const VoiceParty& party, double duration_ms) {
  return {{"response", result.reply},
          {"intent", core::published_intent_name(result.intent.name)},
          {"confidence", std::round(result.intent.confidence * 100) / 100},
          {"action_executed", action_name_json(result)},
          {"action_data", action_data_json(result)},
          {"memory_stored", memory_stored(result)},
          {"memory_category", memory_category(deps, user_id, result)},
          {"rag_used", !result.sources.empty()},
          {"duration_ms", rounded(duration_ms)},
          {"session_id", party.session_id},
          {"turn_id", result.turn_id},
          {"metadata", metadata_json(party)}};
}

http::Response chat(ChatDeps& deps, http::Request& req) {
  auto input = read_chat_input(req);
  auto user = acting_user(deps, req, input.named_user);
  VoiceParty party{session_for(input, user), user.username, input.client_type};
  auto request = turn_request_for(user, party.session_id, input.client_type, input.message);
  auto result = run_whole_turn(deps, std::move(request));
  if (result.status == core::TurnStatus::Failed)
    throw http::HttpError(502, "The language model could not answer: " + result.error);
  return http::Response::json(
      200, reply_json(deps, user.user_id, result, party, ms_since(req.received_at)));
}

// Where a word event sits in its turn's stream: the stream event that completed the word
// and, when one event completed several, which of them. Its SSE id is "<turn>:<sequence>"
// for the first and "<turn>:<sequence>.<index>" for the others, so Last-Event-ID names a
// word exactly even though words and model tokens do not line up.
struct WordPosition {
  std::uint64_t sequence = 0;
  std::uint64_t index = 0;
  bool after(const WordPosition& other) const {
    return sequence != other.sequence ? sequence > other.sequence : index > other.index;
  }
};

std::string word_event_id(std::string_view turn_id, WordPosition at) {
  std::string id = std::string(turn_id) + ":" + std::to_string(at.sequence);
  if (at.index > 0) id += "." + std::to_string(at.index);
  return id;
}

std::optional<std::pair<std::string, WordPosition>> parse_word_event_id(std::string_view id) {
  std::uint64_t index = 0;
  auto dot = id.rfind('.');
  if (dot != std::string_view::npos && dot > id.rfind(':')) {
    auto digits = id.substr(dot + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    id = id.substr(0, dot);
  }
  auto parsed = core::parse_stream_event_id(id);
  if (!parsed) return std::nullopt;
  return std::make_pair(std::move(parsed->first), WordPosition{parsed->second, index});
}

// Cuts the streamed reply into the document's words: a word is sent once the whitespace
// after it (or the end of the reply) shows it is whole. Words up to `resume_after` were
// delivered before the client reconnected and are cut again but not sent.
class WordStream {
 public:
  WordStream(std::string turn_id, WordPosition resume_after, VoiceParty party)
      : turn_id_(std::move(turn_id)), resume_after_(resume_after), party_(std::move(party)) {}

  std::vector<http::SseEvent> operator()(const core::StreamEvent& event) {
    std::vector<http::SseEvent> out;
    WordPosition at{event.sequence, 0};
    if (event.kind == core::StreamEvent::Kind::Text) {
      for (char c : event.text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
          flush_word(out, at);
        } else {
          word_ += c;
        }
      }
    } else if (event.kind == core::StreamEvent::Kind::End) {
      flush_word(out, at);
      emit(out, at, done_json(*event.end));
    }
    return out;
  }

 private:
  void flush_word(std::vector<http::SseEvent>& out, WordPosition& at) {
    if (word_.empty()) return;
    emit(out, at, json::object{{"word", word_}, {"done", false}});
    word_.clear();
  }

  void emit(std::vector<http::SseEvent>& out, WordPosition& at, const json::object& body) {
    if (at.after(resume_after_))
      out.push_back({"", http::to_json_text(body), word_event_id(turn_id_, at), 0});
    ++at.index;
  }

  json::object done_json(const core::TurnResult& result) const {
    VoiceParty party = party_;
    if (party.client_type.empty()) party.client_type = result.conversation.client_type;
    json::object metadata = metadata_json(party);
    metadata["turn_id"] = result.turn_id;
    metadata["intent"] = core::published_intent_name(result.intent.name);
    metadata["status"] = std::string(core::turn_status_name(result.status));
    metadata["duration_ms"] = rounded(result.timings.total_ms);
    json::object done{{"word", ""}, {"done", true}, {"metadata", std::move(metadata)}};
    if (result.status == core::TurnStatus::Failed)
      done["error"] = "The language model could not answer: " + result.error;
    return done;
  }

  std::string turn_id_;
  WordPosition resume_after_;
  VoiceParty party_;
  std::string word_;
};

SseFormatter word_formatter(std::string turn_id, WordPosition resume_after, VoiceParty party) {
  auto words = std::make_shared<WordStream>(std::move(turn_id), resume_after, std::move(party));
  return [words](const core::StreamEvent& event) { return (*words)(event); };
}

// The user_id a reconnecting client names, read leniently: a resumption does not need the
// rest of the body to be valid.
std::string named_user_of(const http::Request& req) {
  boost::system::error_code ec;
  auto body = json::parse(req.body, ec);
  if (ec || !body.is_object()) return "";
  const auto* user = body.as_object().if_contains("user_id");
  return user && user->is_string() ? std::string(user->as_string()) : "";
}

// Every word of the reply is replayed through the cutter, so the words are cut exactly as
// the first time; only those after the last one the client saw are sent.
http::Response resume_words(ChatDeps& deps, http::Request& req, const std::string& last_id) {
  auto user = acting_user(deps, req, named_user_of(req));
  auto position = parse_word_event_id(last_id);
  auto stream = position ? deps.turns->streams().by_turn(position->first) : nullptr;
  if (!stream || stream->user_id() != user.user_id)
    throw http::HttpError(404,
                          "Unknown or expired Last-Event-ID: the reply is no longer "
                          "resumable, its turn is in /api/conversations");
  VoiceParty party{stream->conversation_id(), user.username, ""};
  return relay_turn_as_sse(stream, 0,
                           word_formatter(stream->turn_id(), position->second, std::move(party)));
}

http::Response chat_stream(ChatDeps& deps, http::Request& req) {
  // A client that lost the stream POSTs again with Last-Event-ID: resume, do not ask again.
  if (auto last = last_event_id(req)) return resume_words(deps, req, *last);
  auto input = read_chat_input(req);
  auto user = acting_user(deps, req, input.named_user);
  VoiceParty party{session_for(input, user), user.username, input.client_type};
  auto turn =
      start_turn(deps, turn_request_for(user, party.session_id, input.client_type, input.message));
  return relay_turn_as_sse(turn, 0, word_formatter(turn->turn_id(), {}, std::move(party)));
}

// One row of GET /api/conversations: a user message and the reply to it.
struct TurnRow {
  core::StoredMessage user;
  core::StoredMessage reply;
  bool has_user = false;
  bool has_reply = false;
};

// Pairs messages read newest first into turns, newest first. A turn's two messages are
// stored together, so they are neighbours in that order (the reply first); a reply whose
// question fell outside the page is dropped.
std::vector<TurnRow> turns_of(const std::vector<core::StoredMessage>& newest_first) {
  std::vector<TurnRow> rows;
  for (const auto& message : newest_first) {
    if (message.role == core::ChatRole::Assistant) {
      TurnRow row;
      row.reply = message;
      row.has_reply = true;
      rows.push_back(std::move(row));
    } else if (message.role == core::ChatRole::User) {
      bool pairs = !rows.empty() && !rows.back().has_user &&
                   rows.back().reply.conversation_id == message.conversation_id &&
                   rows.back().reply.turn_id == message.turn_id;
      if (!pairs) rows.emplace_back();
      rows.back().user = message;
      rows.back().has_user = true;
    }
  }
  std::erase_if(rows, [](const TurnRow& row) { return !row.has_user; });
  return rows;
}

json::object row_json(const TurnRow& row, std::int64_t turn_no) {
  json::object out{{"id", row.user.row_id},
                   {"session_id", row.user.conversation_id},
                   {"turn_no", turn_no},
                   {"user_input", row.user.content},
                   {"assistant_response", row.has_reply ? row.reply.content : ""},
                   {"intent_type", core::published_intent_name(row.user.intent)},
                   {"timestamp", iso8601_ms(row.user.created_at_ms)}};
  if (row.has_reply && row.reply.status != core::TurnStatus::Complete)
    out["status"] = std::string(core::turn_status_name(row.reply.status));
  return out;
}

http::Response conversations(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto limit = static_cast<std::size_t>(query.integer("limit", 50, 1, 1000));
  auto session = query.string("session_id", 128);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(deps, req, named);
  auto& store = deps.turns->conversations().store();
  // One message more than the turns need, so the oldest turn shown is never cut in half.
  core::MessagePage page{2 * limit + 1, 0, core::MessageOrder::NewestFirst};
  std::vector<core::StoredMessage> newest;
  if (session) {
    auto conversation = store.find(*session);
    // Another user's session filters to nothing, exactly like one that does not exist.
    if (!conversation || conversation->user_id != user.user_id)
      return http::Response::json(200, json::array{});
    newest = store.messages(*session, page);
  } else {
    newest = store.user_messages(user.user_id, page);
  }
  auto rows = turns_of(newest);
  if (rows.size() > limit) rows.resize(limit);
  // The rows of a session are its newest turns, so each one's number counts down from the
  // session's turn count.
  std::map<std::string, std::int64_t> next_turn_no;
  json::array out;
  for (const auto& row : rows) {
    const auto& id = row.user.conversation_id;
    auto it = next_turn_no.find(id);
    if (it == next_turn_no.end())
      it = next_turn_no.emplace(id, (store.message_count(id) + 1) / 2).first;
    out.push_back(row_json(row, it->second--));
  }
  return http::Response::json(200, out);
}

// The /ws reply to a "chat" message, once the turn is over.
json::object chat_response_frame(const core::TurnResult& result) {
  if (result.status == core::TurnStatus::Failed)
    return voice_error("The language model could not answer: " + result.error);
  json::object frame{{"type", "chat_response"},
                     {"response", result.reply},
                     {"intent", core::published_intent_name(result.intent.name)},
                     {"confidence", std::round(result.intent.confidence * 100) / 100},
                     {"action_data", action_data_json(result)},
                     {"session_id", result.conversation.id},
                     {"turn_id", result.turn_id},
                     {"timestamp", http::iso8601_now()}};
  if (result.status == core::TurnStatus::Interrupted) frame["status"] = "interrupted";
  return frame;
}

core::TurnRequest ws_request(const VoiceClient& client, std::int64_t user_id, std::string text) {
  core::TurnRequest request;
  request.user_id = user_id;
  request.username = client.user_id;
  request.conversation_id = client.session_id;
  request.client_type = client.client_type;
  request.text = std::move(text);
  return request;
}

// Starts the turn from the turn pool and answers the client when it is over.
void launch_ws_turn(ChatDeps& deps, core::TurnRequest request, const VoiceClient& client) {
  auto send = client.send;
  bool queued = deps.turns->start_later(
      std::move(request),
      [send](const std::shared_ptr<core::TurnStream>& stream) {
        TurnFollower::follow(stream, 0, [send](const core::StreamEvent& event) {
          if (event.kind == core::StreamEvent::Kind::End) send(chat_response_frame(*event.end));
        });
      },
      [send](const core::TurnRefused& refused) { send(voice_error(refused.what())); });
  if (!queued) send(voice_error("Server busy, try again"));
}

std::string ws_message_text(const json::object& message) {
  const auto* text = message.if_contains("message");
  if (!text || !text->is_string() || text->as_string().empty())
    throw std::invalid_argument("Message must not be empty");
  if (text->as_string().size() > max_message)
    throw std::invalid_argument("Message is longer than 10000 characters");
  return std::string(text->as_string());
}

}  // namespace

VoiceMessageHandler voice_chat_message_handler(std::shared_ptr<ChatDeps> deps) {
  return [deps](const VoiceClient& client, const json::object& message) {
    auto text = ws_message_text(message);
    const auto& principal = client.principal;
    if (principal.user_id != 0 && principal.username == client.user_id) {
      launch_ws_turn(*deps, ws_request(client, principal.user_id, std::move(text)), client);
      return;
    }
    // An admin acting for a user: the user's id is looked up away from the network thread.
    auto look_up = [deps, client, text = std::move(text)]() mutable {
      try {
        auto acting = deps->accounts->resolve_acting_user(client.principal, client.user_id);
        if (!acting.ok()) {
          client.send(voice_error("Not allowed to act for " + client.user_id));
          return;
        }
        launch_ws_turn(*deps, ws_request(client, acting->user_id, std::move(text)), client);
      } catch (const std::exception& error) {
        client.send(voice_error(error.what()));
      }
    };
    if (!deps->workers || !deps->workers->try_post(std::move(look_up)))
      throw std::runtime_error("Server busy, try again");
  };
}

void register_voice_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  auto add = [&](http::Method method, std::string pattern, auto handler, http::RouteDoc doc,
                 ChatWork work = ChatWork::Brief) {
    add_chat_route(router, deps, method, std::move(pattern), handler, std::move(doc), work);
  };
  http::RouteDoc chat_doc{"Send a message and receive a response", "Voice Assistant",
                          "Runs a whole turn in the session (created when new): intent, "
                          "memories and documents, tools, the reply; facts the user states "
                          "are remembered. duration_ms is measured."};
  chat_doc.request_schema = chat_schema;
  chat_doc.response_schema = reply_schema;
  chat_doc.error_statuses = {400, 401, 403, 404, 422, 429, 502};
  add(http::Method::Post, "/api/chat", chat, chat_doc, ChatWork::WholeTurn);

  http::RouteDoc stream_doc{"Stream the response word by word (SSE)", "Voice Assistant",
                            "Events: data {\"word\", \"done\": false} per word, then {\"word\": "
                            "\"\", \"done\": true, \"metadata\"}. Every event has an id; POSTing "
                            "again with Last-Event-ID resumes the same reply after that word "
                            "(404 once it is no longer kept)."};
  stream_doc.request_schema = chat_schema;
  stream_doc.response_content_type = "text/event-stream";
  stream_doc.error_statuses = {400, 401, 403, 404, 422, 429, 503};
  add(http::Method::Post, "/api/chat/stream", chat_stream, stream_doc);

  http::RouteDoc history_doc{"Conversation history, one row per turn", "Voice Assistant",
                             "Newest first. Query: limit (default 50), session_id, user_id "
                             "(admins only). A session of another user lists nothing."};
  history_doc.response_schema = conversations_schema;
  history_doc.error_statuses = {401, 403, 422};
  add(http::Method::Get, "/api/conversations", conversations, history_doc);
}

}  // namespace companion::api
