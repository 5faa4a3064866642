#include "store/sqlite/conversation_repository.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>

namespace companion::store::sqlite {

namespace {

constexpr const char* conversation_columns =
    "s.external_id, s.user_id, s.character_id, s.client_type, s.title, s.created_at, "
    "s.last_activity, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id), s.id";

// Rows written before migration 4 have no millisecond time; their seconds stand in.
constexpr const char* message_columns =
    "m.id, m.external_id, s.external_id, m.user_id, m.turn_id, m.role, m.content, "
    "m.character_id, COALESCE(m.created_at_ms, m.created_at * 1000), m.status, m.model, "
    "m.tokens, m.emotion, m.sentiment, m.intent, m.metadata";

constexpr const char* session_row_of = "(SELECT id FROM sessions WHERE external_id = ?1)";

// The conversation a turn is written into: its row and the user who owns it.
struct ConversationRow {
  std::int64_t row_id = 0;
  std::int64_t user_id = 0;
};

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// SQLite reads a negative LIMIT as "no limit", so a caller's "everything" stays everything.
std::int64_t sql_limit(std::size_t limit) {
  constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return limit > largest ? -1 : static_cast<std::int64_t>(limit);
}

std::int64_t sql_offset(std::size_t offset) {
  constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(offset, largest));
}

std::string order_by_id(core::MessageOrder order) {
  return order == core::MessageOrder::NewestFirst ? " ORDER BY m.id DESC" : " ORDER BY m.id ASC";
}

core::Conversation read_conversation(const Statement& st) {
  core::Conversation c;
  c.id = st.text(0);
  c.user_id = st.int64(1);
  c.character_id = st.text(2);
  c.client_type = st.text(3);
  c.title = st.text(4);
  c.created_at = st.int64(5);
  c.last_activity = st.int64(6);
  c.message_count = st.int64(7);
  c.row_id = st.int64(8);
  return c;
}

core::StoredMessage read_message(const Statement& st) {
  core::StoredMessage m;
  m.row_id = st.int64(0);
  m.id = st.text(1);
  m.conversation_id = st.text(2);
  m.user_id = st.int64(3);
  m.turn_id = st.text(4);
  m.role = core::parse_chat_role(st.text(5));
  m.content = st.text(6);
  m.character_id = st.text(7);
  m.created_at_ms = st.int64(8);
  m.status = core::parse_turn_status(st.text(9));
  m.model = st.text(10);
  m.tokens = st.int64(11);
  m.emotion = st.text(12);
  m.sentiment = st.real(13);
  m.intent = st.text(14);
  m.metadata_json = st.text(15);
  return m;
}

std::vector<core::StoredMessage> read_messages(Statement& st) {
  std::vector<core::StoredMessage> out;
  while (st.step()) out.push_back(read_message(st));
  return out;
}

std::optional<ConversationRow> conversation_row(Connection& c, std::string_view id) {
  auto st = c.prepare("SELECT id, user_id FROM sessions WHERE external_id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return ConversationRow{st.int64(0), st.int64(1)};
}

void insert_message(Connection& c, const ConversationRow& owner, const core::StoredMessage& m,
                    std::int64_t at_ms) {
  auto st = c.prepare(
      "INSERT INTO messages (session_id, user_id, role, content, created_at, metadata, "
      "external_id, turn_id, character_id, created_at_ms, status, model, tokens, emotion, "
      "sentiment, intent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "COALESCE(NULLIF(?7, ''), 'msg_' || lower(hex(randomblob(8)))), ?8, ?9, ?10, ?11, ?12, "
      "?13, ?14, ?15, ?16)");
  st.bind(1, owner.row_id)
      .bind(2, owner.user_id)
      .bind(3, core::chat_role_name(m.role))
      .bind(4, m.content)
      .bind(5, at_ms / 1000)
      .bind(6, m.metadata_json.empty() ? std::string_view("{}") : std::string_view(m.metadata_json))
      .bind(7, m.id)
      .bind(8, m.turn_id)
      .bind(9, m.character_id)
      .bind(10, at_ms)
      .bind(11, core::turn_status_name(m.status))
      .bind(12, m.model)
      .bind(13, m.tokens)
      .bind(14, m.emotion)
      .bind(15, m.sentiment)
      .bind(16, m.intent);
  st.run();
}

void insert_tool_event(Connection& c, const ConversationRow& owner, const core::ToolEventRecord& e,
                       std::string_view turn_id, std::int64_t at_ms) {
  auto st = c.prepare(
      "INSERT INTO tool_events (turn_id, session_id, user_id, tool, arguments, ok, error, "
      "latency_ms, result_preview, created_at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  st.bind(1, e.turn_id.empty() ? turn_id : std::string_view(e.turn_id))
      .bind(2, owner.row_id)
      .bind(3, owner.user_id)
      .bind(4, e.tool)
      .bind(5,
            e.arguments_json.empty() ? std::string_view("{}") : std::string_view(e.arguments_json))
      .bind(6, e.ok ? 1 : 0)
      .bind(7, e.error)
      .bind(8, e.latency_ms)
      .bind(9, e.result_preview)
      .bind(10, e.created_at_ms != 0 ? e.created_at_ms : at_ms);
  st.run();
}

void bump_last_activity(Connection& c, std::int64_t row_id, std::int64_t at_seconds) {
  auto st = c.prepare("UPDATE sessions SET last_activity = MAX(last_activity, ?2) WHERE id = ?1");
  st.bind(1, row_id).bind(2, at_seconds);
  st.run();
}

std::int64_t count_of(Connection& c, const char* sql, std::string_view key) {
  auto st = c.prepare(sql);
  st.bind(1, key);
  st.step();
  return st.int64(0);
}

std::int64_t count_of(Connection& c, const char* sql, std::int64_t key) {
  auto st = c.prepare(sql);
  st.bind(1, key);
  st.step();
  return st.int64(0);
}

}  // namespace

std::optional<core::Conversation> SqliteConversationRepository::find(
    std::string_view conversation_id) {
  return db_->read([&](Connection& c) -> std::optional<core::Conversation> {
    auto st = c.prepare(std::string("SELECT ") + conversation_columns +
                        " FROM sessions s WHERE s.external_id = ?1");
    st.bind(1, conversation_id);
    if (!st.step()) return std::nullopt;
    return read_conversation(st);
  });
}

bool SqliteConversationRepository::create(const core::Conversation& conversation) {
  try {
    db_->write([&](Connection& c) {
      auto st = c.prepare(
          "INSERT INTO sessions (external_id, user_id, client_type, created_at, last_activity, "
          "character_id, title) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      st.bind(1, conversation.id)
          .bind(2, conversation.user_id)
          .bind(3, conversation.client_type.empty() ? std::string("api") : conversation.client_type)
          .bind(4, conversation.created_at)
          .bind(5, std::max(conversation.last_activity, conversation.created_at))
          .bind(6, conversation.character_id)
          .bind(7, conversation.title);
      st.run();
    });
    return true;
  } catch (const DatabaseError& e) {
    if (e.is_unique_violation()) return false;
    throw;
  }
}

void SqliteConversationRepository::set_title(std::string_view conversation_id,
                                             std::string_view title) {
  db_->write([&](Connection& c) {
    auto st = c.prepare("UPDATE sessions SET title = ?2 WHERE external_id = ?1");
    st.bind(1, conversation_id).bind(2, title);
    st.run();
  });
}

void SqliteConversationRepository::set_character(std::string_view conversation_id,
                                                 std::string_view character_id) {
  db_->write([&](Connection& c) {
    auto st = c.prepare("UPDATE sessions SET character_id = ?2 WHERE external_id = ?1");
    st.bind(1, conversation_id).bind(2, character_id);
    st.run();
  });
}

std::vector<core::Conversation> SqliteConversationRepository::list(std::int64_t user_id,
                                                                   std::size_t limit,
                                                                   std::size_t offset) {
  return db_->read([&](Connection& c) {
    std::vector<core::Conversation> out;
    auto st = c.prepare(std::string("SELECT ") + conversation_columns +
                        " FROM sessions s WHERE s.user_id = ?1 "
                        "ORDER BY s.last_activity DESC, s.id DESC LIMIT ?2 OFFSET ?3");
    st.bind(1, user_id).bind(2, sql_limit(limit)).bind(3, sql_offset(offset));
    while (st.step()) out.push_back(read_conversation(st));
    return out;
  });
}

std::int64_t SqliteConversationRepository::count(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    return count_of(c, "SELECT COUNT(*) FROM sessions WHERE user_id = ?1", user_id);
  });
}

bool SqliteConversationRepository::remove(std::string_view conversation_id) {
  // Messages and tool events go with the row (ON DELETE CASCADE).
  return db_->write([&](Connection& c) {
    auto st = c.prepare("DELETE FROM sessions WHERE external_id = ?1");
    st.bind(1, conversation_id);
    st.run();
    return c.changes() > 0;
  });
}

void SqliteConversationRepository::append_turn(const core::TurnRecord& turn) {
  const std::int64_t now = now_ms();
  const std::int64_t user_at = turn.user.created_at_ms != 0 ? turn.user.created_at_ms : now;
  const std::int64_t reply_at =
      turn.assistant.created_at_ms != 0 ? turn.assistant.created_at_ms : now;
  db_->write([&](Connection& c) {
    auto owner = conversation_row(c, turn.user.conversation_id);
    if (!owner)
      throw DatabaseError(
          "cannot append a turn: no conversation '" + turn.user.conversation_id + "'", 0);
    insert_message(c, *owner, turn.user, user_at);
    insert_message(c, *owner, turn.assistant, reply_at);
    for (const auto& event : turn.tool_events)
      insert_tool_event(c, *owner, event, turn.user.turn_id, reply_at);
    bump_last_activity(c, owner->row_id, std::max(user_at, reply_at) / 1000);
  });
}

std::vector<core::StoredMessage> SqliteConversationRepository::messages(
    std::string_view conversation_id, const core::MessagePage& page) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(std::string("SELECT ") + message_columns +
                        " FROM messages m JOIN sessions s ON s.id = m.session_id "
                        "WHERE m.session_id = " +
                        session_row_of + order_by_id(page.order) + " LIMIT ?2 OFFSET ?3");
    st.bind(1, conversation_id).bind(2, sql_limit(page.limit)).bind(3, sql_offset(page.offset));
    return read_messages(st);
  });
}

std::int64_t SqliteConversationRepository::message_count(std::string_view conversation_id) {
  return db_->read([&](Connection& c) {
    return count_of(c,
                    "SELECT COUNT(*) FROM messages WHERE session_id = "
                    "(SELECT id FROM sessions WHERE external_id = ?1)",
                    conversation_id);
  });
}

std::vector<core::StoredMessage> SqliteConversationRepository::recent(
    std::string_view conversation_id, std::size_t count) {
  // The newest `count` walking the (session_id, id) index backwards, then put in reading
  // order: the cost follows the window, not the length of the conversation.
  return db_->read([&](Connection& c) {
    auto st = c.prepare(std::string("SELECT * FROM (SELECT ") + message_columns +
                        " FROM messages m JOIN sessions s ON s.id = m.session_id "
                        "WHERE m.session_id = " +
                        session_row_of + " ORDER BY m.id DESC LIMIT ?2) ORDER BY 1 ASC");
    st.bind(1, conversation_id).bind(2, sql_limit(count));
    return read_messages(st);
  });
}

std::vector<core::StoredMessage> SqliteConversationRepository::user_messages(
    std::int64_t user_id, const core::MessagePage& page) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(std::string("SELECT ") + message_columns +
                        " FROM messages m JOIN sessions s ON s.id = m.session_id "
                        "WHERE m.user_id = ?1" +
                        order_by_id(page.order) + " LIMIT ?2 OFFSET ?3");
    st.bind(1, user_id).bind(2, sql_limit(page.limit)).bind(3, sql_offset(page.offset));
    return read_messages(st);
  });
}

std::int64_t SqliteConversationRepository::user_message_count(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    return count_of(c, "SELECT COUNT(*) FROM messages WHERE user_id = ?1", user_id);
  });
}

std::int64_t SqliteConversationRepository::clear(std::string_view conversation_id) {
  return db_->write([&](Connection& c) -> std::int64_t {
    auto owner = conversation_row(c, conversation_id);
    if (!owner) return 0;
    auto events = c.prepare("DELETE FROM tool_events WHERE session_id = ?1");
    events.bind(1, owner->row_id);
    events.run();
    auto st = c.prepare("DELETE FROM messages WHERE session_id = ?1");
    st.bind(1, owner->row_id);
    st.run();
    return c.changes();
  });
}

std::int64_t SqliteConversationRepository::clear_user(std::int64_t user_id) {
  return db_->write([&](Connection& c) -> std::int64_t {
    auto events = c.prepare("DELETE FROM tool_events WHERE user_id = ?1");
    events.bind(1, user_id);
    events.run();
    auto st = c.prepare("DELETE FROM messages WHERE user_id = ?1");
    st.bind(1, user_id);
    st.run();
    return c.changes();
  });
}

std::vector<core::ToolEventRecord> SqliteConversationRepository::tool_events(
    std::int64_t user_id, std::int64_t since_ms) {
  return db_->read([&](Connection& c) {
    std::vector<core::ToolEventRecord> out;
    auto st = c.prepare(
        "SELECT e.turn_id, s.external_id, e.user_id, e.tool, e.arguments, e.ok, e.error, "
        "e.latency_ms, e.result_preview, e.created_at_ms FROM tool_events e "
        "JOIN sessions s ON s.id = e.session_id WHERE e.user_id = ?1 AND e.created_at_ms >= ?2 "
        "ORDER BY e.created_at_ms, e.id");
    st.bind(1, user_id).bind(2, since_ms);
    while (st.step()) {
      core::ToolEventRecord e;
      e.turn_id = st.text(0);
      e.conversation_id = st.text(1);
      e.user_id = st.int64(2);
      e.tool = st.text(3);
      e.arguments_json = st.text(4);
      e.ok = st.int64(5) != 0;
      e.error = st.text(6);
      e.latency_ms = st.int64(7);
      e.result_preview = st.text(8);
      e.created_at_ms = st.int64(9);
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace companion::store::sqlite
