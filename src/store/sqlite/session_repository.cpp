#include "store/sqlite/session_repository.hpp"

#include <chrono>

namespace companion::store::sqlite {

namespace {

constexpr const char* session_columns =
    "s.external_id, u.username, s.client_type, s.created_at, s.last_activity";

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point time_point_of(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

core::Session read_session(const Statement& st) {
  core::Session s;
  s.id = st.text(0);
  s.user_id = st.text(1);
  s.client_type = st.text(2);
  s.created_at = time_point_of(st.int64(3));
  s.last_activity = time_point_of(st.int64(4));
  return s;
}

std::optional<std::int64_t> user_row(Connection& c, std::string_view username) {
  auto st = c.prepare("SELECT id FROM users WHERE username = ?1");
  st.bind(1, username);
  if (!st.step()) return std::nullopt;
  return st.int64(0);
}

}  // namespace

std::optional<core::Session> SqliteSessionRepository::find(std::string_view session_id) {
  return db_->read([&](Connection& c) -> std::optional<core::Session> {
    auto st = c.prepare(std::string("SELECT ") + session_columns +
                        " FROM sessions s JOIN users u ON u.id = s.user_id "
                        "WHERE s.external_id = ?1");
    st.bind(1, session_id);
    if (!st.step()) return std::nullopt;
    return read_session(st);
  });
}

void SqliteSessionRepository::save(const core::Session& session) {
  db_->write([&](Connection& c) {
    auto user = user_row(c, session.user_id);
    if (!user)
      throw DatabaseError(
          "cannot save session '" + session.id + "': no user named '" + session.user_id + "'", 0);
    // The conversation's own fields (title, character) are not part of a session and stay.
    auto st = c.prepare(
        "INSERT INTO sessions (external_id, user_id, client_type, created_at, last_activity) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (external_id) DO UPDATE SET "
        "client_type = excluded.client_type, created_at = excluded.created_at, "
        "last_activity = excluded.last_activity WHERE sessions.user_id = excluded.user_id");
    st.bind(1, session.id)
        .bind(2, *user)
        .bind(3, session.client_type.empty() ? std::string_view("api")
                                             : std::string_view(session.client_type))
        .bind(4, unix_seconds(session.created_at))
        .bind(5, unix_seconds(session.last_activity));
    st.run();
    if (c.changes() == 0)
      throw DatabaseError("cannot save session '" + session.id + "': it belongs to another user",
                          0);
  });
}

bool SqliteSessionRepository::remove(std::string_view session_id) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare("DELETE FROM sessions WHERE external_id = ?1");
    st.bind(1, session_id);
    st.run();
    return c.changes() > 0;
  });
}

std::vector<core::Session> SqliteSessionRepository::list(
    const std::optional<std::string>& user_id) {
  return db_->read([&](Connection& c) {
    std::vector<core::Session> out;
    auto st = c.prepare(std::string("SELECT ") + session_columns +
                        " FROM sessions s JOIN users u ON u.id = s.user_id "
                        "WHERE ?1 IS NULL OR u.username = ?1 ORDER BY s.created_at, s.id");
    st.bind(1, user_id);
    while (st.step()) out.push_back(read_session(st));
    return out;
  });
}

}  // namespace companion::store::sqlite
