#include "store/sqlite/turn_archive.hpp"

#include <limits>
#include <string>

namespace companion::store::sqlite {

namespace {

constexpr const char* conversation_columns =
    "s.id, s.external_id, s.user_id, s.character_id, s.client_type, s.title, s.created_at, "
    "s.last_activity, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id)";

// The columns of one message row under `alias` (16 of them); rows written before the
// conversation store's migration have no millisecond time, their seconds stand in.
std::string message_columns(std::string_view alias) {
  std::string a(alias);
  return a + ".id, " + a + ".external_id, s.external_id, " + a + ".user_id, " + a + ".turn_id, " +
         a + ".role, " + a + ".content, " + a + ".character_id, COALESCE(" + a +
         ".created_at_ms, " + a + ".created_at * 1000), " + a + ".status, " + a + ".model, " + a +
         ".tokens, " + a + ".emotion, " + a + ".sentiment, " + a + ".intent, " + a + ".metadata";
}
constexpr int kMessageColumns = 16;

// A turn: the reply row `a`, the question row `q` of the same turn, their session `s`.
const std::string& turn_select() {
  static const std::string sql =
      "SELECT s.id, " + message_columns("q") + ", " + message_columns("a") +
      " FROM messages a JOIN sessions s ON s.id = a.session_id "
      "JOIN messages q ON q.turn_id = a.turn_id AND q.session_id = a.session_id "
      "AND q.role = 'user' WHERE a.role = 'assistant' AND a.turn_id <> '' ";
  return sql;
}

// The filter of a turn listing: the user's turns (by the messages' user index), of
// conversations opened by the client type (empty: any), of one conversation (0: any).
constexpr const char* turn_filter =
    "AND a.user_id = ?1 AND (?2 = '' OR s.client_type = ?2) AND (?3 = 0 OR s.id = ?3) ";

constexpr const char* conversation_filter =
    "WHERE s.user_id = ?1 AND (?2 = '' OR s.client_type = ?2) ";

std::int64_t sql_count(std::size_t n) {
  constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return n > largest ? -1 : static_cast<std::int64_t>(n);
}

core::Conversation read_conversation(const Statement& st) {
  core::Conversation c;
  c.row_id = st.int64(0);
  c.id = st.text(1);
  c.user_id = st.int64(2);
  c.character_id = st.text(3);
  c.client_type = st.text(4);
  c.title = st.text(5);
  c.created_at = st.int64(6);
  c.last_activity = st.int64(7);
  c.message_count = st.int64(8);
  return c;
}

core::StoredMessage read_message(const Statement& st, int first) {
  core::StoredMessage m;
  m.row_id = st.int64(first);
  m.id = st.text(first + 1);
  m.conversation_id = st.text(first + 2);
  m.user_id = st.int64(first + 3);
  m.turn_id = st.text(first + 4);
  m.role = core::parse_chat_role(st.text(first + 5));
  m.content = st.text(first + 6);
  m.character_id = st.text(first + 7);
  m.created_at_ms = st.int64(first + 8);
  m.status = core::parse_turn_status(st.text(first + 9));
  m.model = st.text(first + 10);
  m.tokens = st.int64(first + 11);
  m.emotion = st.text(first + 12);
  m.sentiment = st.real(first + 13);
  m.intent = st.text(first + 14);
  m.metadata_json = st.text(first + 15);
  return m;
}

core::ArchivedTurn read_turn(const Statement& st) {
  core::ArchivedTurn turn;
  turn.conversation_row_id = st.int64(0);
  turn.question = read_message(st, 1);
  turn.reply = read_message(st, 1 + kMessageColumns);
  turn.id = turn.reply.row_id;
  return turn;
}

std::optional<core::ArchivedTurn> one_turn(Statement& st) {
  if (!st.step()) return std::nullopt;
  return read_turn(st);
}

// The turn id and session row of reply `id`.
struct TurnKey {
  std::string turn_id;
  std::int64_t session_row = 0;
};

std::optional<TurnKey> turn_key(Connection& c, std::int64_t id) {
  auto st = c.prepare(
      "SELECT turn_id, session_id FROM messages WHERE id = ?1 AND role = 'assistant' "
      "AND turn_id <> ''");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return TurnKey{st.text(0), st.int64(1)};
}

void set_content(Connection& c, const TurnKey& key, std::string_view role,
                 std::string_view content) {
  auto st = c.prepare(
      "UPDATE messages SET content = ?3 WHERE turn_id = ?1 AND session_id = ?2 AND role = ?4");
  st.bind(1, key.turn_id).bind(2, key.session_row).bind(3, content).bind(4, role);
  st.run();
}

}  // namespace

std::vector<core::Conversation> SqliteTurnArchive::conversations(
    const core::ConversationQuery& query) {
  return db_->read([&](Connection& c) {
    std::vector<core::Conversation> out;
    auto st = c.prepare(std::string("SELECT ") + conversation_columns + " FROM sessions s " +
                        conversation_filter + "ORDER BY s.id LIMIT ?3 OFFSET ?4");
    st.bind(1, query.user_id)
        .bind(2, query.client_type)
        .bind(3, sql_count(query.limit))
        .bind(4, sql_count(query.offset));
    while (st.step()) out.push_back(read_conversation(st));
    return out;
  });
}

std::int64_t SqliteTurnArchive::count_conversations(const core::ConversationQuery& query) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(std::string("SELECT COUNT(*) FROM sessions s ") + conversation_filter);
    st.bind(1, query.user_id).bind(2, query.client_type);
    st.step();
    return st.int64(0);
  });
}

std::optional<core::Conversation> SqliteTurnArchive::conversation(std::int64_t row_id) {
  return db_->read([&](Connection& c) -> std::optional<core::Conversation> {
    auto st = c.prepare(std::string("SELECT ") + conversation_columns +
                        " FROM sessions s WHERE s.id = ?1");
    st.bind(1, row_id);
    if (!st.step()) return std::nullopt;
    return read_conversation(st);
  });
}

std::optional<core::Conversation> SqliteTurnArchive::conversation(std::string_view id) {
  return db_->read([&](Connection& c) -> std::optional<core::Conversation> {
    auto st = c.prepare(std::string("SELECT ") + conversation_columns +
                        " FROM sessions s WHERE s.external_id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_conversation(st);
  });
}

std::vector<core::ArchivedTurn> SqliteTurnArchive::turns(const core::TurnQuery& query) {
  return db_->read([&](Connection& c) {
    std::vector<core::ArchivedTurn> out;
    auto st = c.prepare(turn_select() + turn_filter + "ORDER BY a.id LIMIT ?4 OFFSET ?5");
    st.bind(1, query.user_id)
        .bind(2, query.client_type)
        .bind(3, query.conversation_row_id.value_or(0))
        .bind(4, sql_count(query.limit))
        .bind(5, sql_count(query.offset));
    while (st.step()) out.push_back(read_turn(st));
    return out;
  });
}

std::int64_t SqliteTurnArchive::count_turns(const core::TurnQuery& query) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(
        std::string("SELECT COUNT(*) FROM messages a JOIN sessions s ON s.id = a.session_id "
                    "WHERE a.role = 'assistant' AND a.turn_id <> '' ") +
        turn_filter);
    st.bind(1, query.user_id)
        .bind(2, query.client_type)
        .bind(3, query.conversation_row_id.value_or(0));
    st.step();
    return st.int64(0);
  });
}

std::optional<core::ArchivedTurn> SqliteTurnArchive::turn(std::int64_t id) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(turn_select() + "AND a.id = ?1");
    st.bind(1, id);
    return one_turn(st);
  });
}

std::optional<core::ArchivedTurn> SqliteTurnArchive::turn_by_turn_id(std::string_view turn_id) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(turn_select() + "AND a.turn_id = ?1 ORDER BY a.id DESC LIMIT 1");
    st.bind(1, turn_id);
    return one_turn(st);
  });
}

bool SqliteTurnArchive::edit_turn(std::int64_t id, const core::TurnEdit& edit) {
  return db_->write([&](Connection& c) {
    auto key = turn_key(c, id);
    if (!key) return false;
    if (edit.question) set_content(c, *key, "user", *edit.question);
    if (edit.reply) set_content(c, *key, "assistant", *edit.reply);
    return true;
  });
}

bool SqliteTurnArchive::remove_turn(std::int64_t id) {
  return db_->write([&](Connection& c) {
    auto key = turn_key(c, id);
    if (!key) return false;
    auto events = c.prepare("DELETE FROM tool_events WHERE turn_id = ?1 AND session_id = ?2");
    events.bind(1, key->turn_id).bind(2, key->session_row);
    events.run();
    auto messages = c.prepare("DELETE FROM messages WHERE turn_id = ?1 AND session_id = ?2");
    messages.bind(1, key->turn_id).bind(2, key->session_row);
    messages.run();
    return true;
  });
}

}  // namespace companion::store::sqlite
