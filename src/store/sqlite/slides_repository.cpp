#include "store/sqlite/slides_repository.hpp"

#include <chrono>
#include <limits>
#include <string>

namespace companion::store::sqlite {

namespace {

constexpr const char* deck_columns =
    "d.id, s.external_id, s.id, s.user_id, d.title, d.summary, d.topic, d.editorjs, "
    "d.created_at, d.updated_at";

constexpr const char* deck_from = " FROM slides d JOIN sessions s ON s.id = d.session_id ";

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

core::SlideDeck read_deck(const Statement& st) {
  core::SlideDeck d;
  d.id = st.int64(0);
  d.conversation_id = st.text(1);
  d.conversation_row_id = st.int64(2);
  d.user_id = st.int64(3);
  d.title = st.text(4);
  d.summary = st.text(5);
  d.topic = st.text(6);
  d.editorjs_json = st.text(7);
  d.created_at = st.int64(8);
  d.updated_at = st.int64(9);
  return d;
}

std::optional<core::SlideDeck> find_in(Connection& c, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT ") + deck_columns + deck_from + "WHERE d.id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_deck(st);
}

// The filter of a listing: the user's decks, of one session when it names one (0: any).
constexpr const char* query_filter = "WHERE s.user_id = ?1 AND (?2 = 0 OR s.id = ?2) ";

std::int64_t session_filter(const core::SlideDeckQuery& query) {
  return query.conversation_row_id.value_or(0);
}

std::int64_t sql_count(std::size_t n) {
  constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return n > largest ? -1 : static_cast<std::int64_t>(n);
}

}  // namespace

SqliteSlidesRepository::SqliteSlidesRepository(std::shared_ptr<Database> db, UnixClock clock)
    : db_(std::move(db)), clock_(clock ? std::move(clock) : system_now) {}

std::optional<core::SlideDeck> SqliteSlidesRepository::find(std::int64_t id) {
  return db_->read([&](Connection& c) { return find_in(c, id); });
}

std::optional<core::SlideDeck> SqliteSlidesRepository::latest_for(
    std::string_view conversation_id) {
  return db_->read([&](Connection& c) -> std::optional<core::SlideDeck> {
    auto st = c.prepare(std::string("SELECT ") + deck_columns + deck_from +
                        "WHERE s.external_id = ?1 ORDER BY d.updated_at DESC, d.id DESC LIMIT 1");
    st.bind(1, conversation_id);
    if (!st.step()) return std::nullopt;
    return read_deck(st);
  });
}

std::vector<core::SlideDeck> SqliteSlidesRepository::list(const core::SlideDeckQuery& query) {
  return db_->read([&](Connection& c) {
    std::vector<core::SlideDeck> out;
    auto st = c.prepare(std::string("SELECT ") + deck_columns + deck_from + query_filter +
                        "ORDER BY d.id LIMIT ?3 OFFSET ?4");
    st.bind(1, query.user_id)
        .bind(2, session_filter(query))
        .bind(3, sql_count(query.limit))
        .bind(4, sql_count(query.offset));
    while (st.step()) out.push_back(read_deck(st));
    return out;
  });
}

std::int64_t SqliteSlidesRepository::count(const core::SlideDeckQuery& query) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(std::string("SELECT COUNT(*)") + deck_from + query_filter);
    st.bind(1, query.user_id).bind(2, session_filter(query));
    st.step();
    return st.int64(0);
  });
}

std::optional<core::SlideDeck> SqliteSlidesRepository::save(const core::SlideDeck& deck) {
  const std::int64_t now = clock_();
  const std::string& document = deck.editorjs_json.empty() ? "{}" : deck.editorjs_json;
  return db_->write([&](Connection& c) -> std::optional<core::SlideDeck> {
    if (deck.id == 0) {
      auto st = c.prepare(
          "INSERT INTO slides (session_id, title, summary, topic, editorjs, created_at, "
          "updated_at) SELECT id, ?2, ?3, ?4, ?5, ?6, ?6 FROM sessions WHERE external_id = ?1");
      st.bind(1, deck.conversation_id)
          .bind(2, deck.title)
          .bind(3, deck.summary)
          .bind(4, deck.topic)
          .bind(5, document)
          .bind(6, now);
      st.run();
      if (c.changes() == 0) return std::nullopt;
      return find_in(c, c.last_insert_rowid());
    }
    auto st = c.prepare(
        "UPDATE slides SET title = ?2, summary = ?3, topic = ?4, editorjs = ?5, "
        "updated_at = MAX(?6, updated_at) WHERE id = ?1");
    st.bind(1, deck.id)
        .bind(2, deck.title)
        .bind(3, deck.summary)
        .bind(4, deck.topic)
        .bind(5, document)
        .bind(6, now);
    st.run();
    if (c.changes() == 0) return std::nullopt;
    return find_in(c, deck.id);
  });
}

bool SqliteSlidesRepository::remove(std::int64_t id) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare("DELETE FROM slides WHERE id = ?1");
    st.bind(1, id);
    st.run();
    return c.changes() > 0;
  });
}

}  // namespace companion::store::sqlite
