#include "store/sqlite/memory_repository.hpp"

#include <cctype>
#include <cstring>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/sqlite/vector_blob.hpp"

namespace companion::store::sqlite {

namespace json = boost::json;

namespace {

// Enough words for any question; a pasted essay is cut rather than made into a huge query.
constexpr std::size_t max_query_terms = 64;

constexpr const char* columns =
    "id, memory_id, user_id, content, sealed, fingerprint, category, importance, tags, tier, "
    "expires_at, source, session_id, slot, created_at, last_accessed_at, access_count";

std::string tags_text(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return json::serialize(a);
}

std::vector<std::string> tags_from(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (auto& t : v.as_array())
    if (t.is_string()) out.emplace_back(t.as_string());
  return out;
}

core::StoredMemory read_memory(const Statement& st) {
  core::StoredMemory s;
  auto& m = s.memory;
  m.row_id = st.int64(0);
  m.id = st.text(1);
  m.user_id = st.int64(2);
  m.content = st.text(3);
  s.sealed = st.int64(4) != 0;
  s.fingerprint = st.text(5);
  m.category = st.text(6);
  m.importance = st.real(7);
  m.tags = tags_from(st.text(8));
  m.tier = core::parse_tier(st.text(9)).value_or(core::MemoryTier::Session);
  m.expires_at = st.optional_int64(10);
  m.source = core::parse_memory_source(st.text(11));
  m.session_id = st.text(12);
  m.slot = st.text(13);
  m.created_at = st.int64(14);
  m.last_accessed_at = st.int64(15);
  m.access_count = st.int64(16);
  return s;
}

void bind_content(Statement& st, int index, const core::StoredMemory& m) {
  // Sealed bytes are binary; plain text stays TEXT so the full-text index can read it.
  if (m.sealed)
    st.bind_blob(index, m.memory.content);
  else
    st.bind(index, m.memory.content);
}

void write_vector(Connection& c, std::int64_t row_id, const core::StoredVector& v) {
  auto st = c.prepare(
      "INSERT INTO memory_vectors (memory_id, space_id, dimension, vector) VALUES (?1, ?2, ?3, "
      "?4) ON CONFLICT (memory_id) DO UPDATE SET space_id = excluded.space_id, "
      "dimension = excluded.dimension, vector = excluded.vector");
  st.bind(1, row_id)
      .bind(2, v.space_id)
      .bind(3, static_cast<std::int64_t>(v.values.size()))
      .bind_blob(4, vector_blob(v.values));
  st.run();
}

std::optional<core::StoredMemory> one(Database& db, const std::string& where, std::int64_t user_id,
                                      std::string_view key) {
  return db.read([&](Connection& c) -> std::optional<core::StoredMemory> {
    auto st =
        c.prepare(std::string("SELECT ") + columns + " FROM memories WHERE user_id = ?1 AND " +
                  where + " ORDER BY id DESC LIMIT 1");
    st.bind(1, user_id).bind(2, key);
    if (!st.step()) return std::nullopt;
    return read_memory(st);
  });
}

bool is_word_byte(unsigned char c) {
  return std::isalnum(c) || c >= 0x80;  // UTF-8 letters of other scripts are words too
}

void bind_filter(Statement& st, int category_index, const core::MemoryFilter& filter) {
  st.bind(category_index, filter.category);
  if (filter.tier)
    st.bind(category_index + 1, std::string(core::tier_name(*filter.tier)));
  else
    st.bind_null(category_index + 1);
}

}  // namespace

std::string fts_match_query(std::string_view text) {
  std::string query, word;
  std::size_t terms = 0;
  auto flush = [&] {
    if (word.empty() || terms >= max_query_terms) return word.clear();
    if (!query.empty()) query += " OR ";
    query += '"' + word + '"';  // a word of letters and digits holds no quote to escape
    ++terms;
    word.clear();
  };
  for (unsigned char c : text) {
    if (is_word_byte(c))
      word += static_cast<char>(c);
    else
      flush();
  }
  flush();
  return query;
}

namespace {

// Parameters ?3..?10 mean the same in INSERT and UPDATE: content through expiry.
void bind_stored_fields(Statement& st, const core::StoredMemory& memory) {
  const auto& m = memory.memory;
  bind_content(st, 3, memory);
  st.bind(4, memory.sealed ? 1 : 0)
      .bind(5, memory.fingerprint)
      .bind(6, m.category)
      .bind(7, m.importance)
      .bind(8, tags_text(m.tags))
      .bind(9, std::string(core::tier_name(m.tier)))
      .bind(10, m.expires_at);
}

}  // namespace

core::StoredMemory SqliteMemoryRepository::insert(core::StoredMemory memory,
                                                  const std::optional<core::StoredVector>& vector) {
  return db_->write([&](Connection& c) {
    const auto& m = memory.memory;
    auto st = c.prepare(
        "INSERT INTO memories (memory_id, user_id, content, sealed, fingerprint, category, "
        "importance, tags, tier, expires_at, source, session_id, slot, created_at, "
        "last_accessed_at, access_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16)");
    st.bind(1, m.id).bind(2, m.user_id);
    bind_stored_fields(st, memory);
    st.bind(11, std::string(core::memory_source_name(m.source)))
        .bind(12, m.session_id)
        .bind(13, m.slot)
        .bind(14, m.created_at)
        .bind(15, m.last_accessed_at)
        .bind(16, m.access_count);
    st.run();
    memory.memory.row_id = c.last_insert_rowid();
    if (vector) write_vector(c, memory.memory.row_id, *vector);
    return memory;
  });
}

void SqliteMemoryRepository::update(const core::StoredMemory& memory,
                                    const std::optional<core::StoredVector>& vector) {
  db_->write([&](Connection& c) {
    const auto& m = memory.memory;
    auto st = c.prepare(
        "UPDATE memories SET content = ?3, sealed = ?4, fingerprint = ?5, category = ?6, "
        "importance = ?7, tags = ?8, tier = ?9, expires_at = ?10, session_id = ?11, "
        "last_accessed_at = ?12 WHERE user_id = ?1 AND id = ?2");
    st.bind(1, m.user_id).bind(2, m.row_id);
    bind_stored_fields(st, memory);
    st.bind(11, m.session_id).bind(12, m.last_accessed_at);
    st.run();
    if (vector) {
      write_vector(c, m.row_id, *vector);
    } else {
      auto del = c.prepare("DELETE FROM memory_vectors WHERE memory_id = ?1");
      del.bind(1, m.row_id);
      del.run();
    }
  });
}

void SqliteMemoryRepository::put_vector(std::int64_t user_id, const core::StoredVector& vector) {
  db_->write([&](Connection& c) {
    auto owned = c.prepare("SELECT 1 FROM memories WHERE user_id = ?1 AND id = ?2");
    owned.bind(1, user_id).bind(2, vector.row_id);
    if (owned.step()) write_vector(c, vector.row_id, vector);
  });
}

std::optional<core::StoredMemory> SqliteMemoryRepository::find(std::int64_t user_id,
                                                               std::string_view id) {
  return one(*db_, "memory_id = ?2", user_id, id);
}

std::optional<core::StoredMemory> SqliteMemoryRepository::find_row(std::int64_t user_id,
                                                                   std::int64_t row_id) {
  return db_->read([&](Connection& c) -> std::optional<core::StoredMemory> {
    auto st = c.prepare(std::string("SELECT ") + columns +
                        " FROM memories WHERE user_id = ?1 AND id = ?2");
    st.bind(1, user_id).bind(2, row_id);
    if (!st.step()) return std::nullopt;
    return read_memory(st);
  });
}

std::optional<core::StoredMemory> SqliteMemoryRepository::find_slot(std::int64_t user_id,
                                                                    std::string_view slot) {
  return one(*db_, "slot = ?2", user_id, slot);
}

std::optional<core::StoredMemory> SqliteMemoryRepository::find_fingerprint(
    std::int64_t user_id, std::string_view fingerprint) {
  return one(*db_, "fingerprint = ?2", user_id, fingerprint);
}

std::vector<core::StoredMemory> SqliteMemoryRepository::rows(
    std::int64_t user_id, const std::vector<std::int64_t>& row_ids) {
  std::vector<core::StoredMemory> out;
  if (row_ids.empty()) return out;
  return db_->read([&](Connection& c) {
    const std::string sql =
        std::string("SELECT ") + columns + " FROM memories WHERE user_id = ?1 AND id = ?2";
    for (auto id : row_ids) {
      // One handle per row: a statement is reset (and may be bound again) when it goes.
      auto st = c.prepare(sql);
      st.bind(1, user_id).bind(2, id);
      if (st.step()) out.push_back(read_memory(st));
    }
    return out;
  });
}

std::vector<core::StoredMemory> SqliteMemoryRepository::list(std::int64_t user_id,
                                                             const core::MemoryFilter& filter,
                                                             std::size_t limit) {
  return db_->read([&](Connection& c) {
    std::vector<core::StoredMemory> out;
    auto st = c.prepare(std::string("SELECT ") + columns +
                        " FROM memories WHERE user_id = ?1 AND (?2 IS NULL OR category = ?2) "
                        "AND (?3 IS NULL OR tier = ?3) ORDER BY created_at DESC, id DESC "
                        "LIMIT ?4");
    st.bind(1, user_id);
    bind_filter(st, 2, filter);
    st.bind(4, static_cast<std::int64_t>(limit));
    while (st.step()) out.push_back(read_memory(st));
    return out;
  });
}

std::vector<core::LexicalHit> SqliteMemoryRepository::lexical_search(
    std::int64_t user_id, std::string_view text, const core::MemoryFilter& filter,
    std::size_t limit) {
  std::vector<core::LexicalHit> out;
  auto match = fts_match_query(text);
  if (match.empty() || limit == 0) return out;
  return db_->read([&](Connection& c) {
    auto st = c.prepare(
        "SELECT m.id, bm25(memories_fts) AS rank FROM memories_fts "
        "JOIN memories m ON m.id = memories_fts.rowid "
        "WHERE memories_fts MATCH ?1 AND m.user_id = ?2 AND m.sealed = 0 "
        "AND (?3 IS NULL OR m.category = ?3) AND (?4 IS NULL OR m.tier = ?4) "
        "ORDER BY rank LIMIT ?5");
    st.bind(1, match).bind(2, user_id);
    bind_filter(st, 3, filter);
    st.bind(5, static_cast<std::int64_t>(limit));
    while (st.step()) out.push_back({st.int64(0), st.real(1)});
    return out;
  });
}

std::vector<core::StoredVector> SqliteMemoryRepository::vectors(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    std::vector<core::StoredVector> out;
    auto st = c.prepare(
        "SELECT m.id, m.tier, m.category, v.space_id, v.vector FROM memories m "
        "LEFT JOIN memory_vectors v ON v.memory_id = m.id WHERE m.user_id = ?1");
    st.bind(1, user_id);
    while (st.step()) {
      core::StoredVector v;
      v.row_id = st.int64(0);
      v.tier = core::parse_tier(st.text(1)).value_or(core::MemoryTier::Session);
      v.category = st.text(2);
      if (!st.is_null(3)) {
        v.space_id = st.text(3);
        v.values = vector_from_blob(st.text(4));
      }
      out.push_back(std::move(v));
    }
    return out;
  });
}

std::vector<core::StoredMemory> SqliteMemoryRepository::record_recall(
    std::int64_t user_id, const std::vector<std::int64_t>& row_ids, std::int64_t now) {
  return db_->write([&](Connection& c) {
    std::vector<core::StoredMemory> out;
    const std::string select =
        std::string("SELECT ") + columns + " FROM memories WHERE user_id = ?1 AND id = ?2";
    for (auto id : row_ids) {
      auto up = c.prepare(
          "UPDATE memories SET access_count = access_count + 1, last_accessed_at = ?3 "
          "WHERE user_id = ?1 AND id = ?2");
      up.bind(1, user_id).bind(2, id).bind(3, now);
      up.run();
      auto get = c.prepare(select);
      get.bind(1, user_id).bind(2, id);
      if (get.step()) out.push_back(read_memory(get));
    }
    return out;
  });
}

void SqliteMemoryRepository::change_tier(std::int64_t user_id, std::int64_t row_id,
                                         core::MemoryTier tier,
                                         std::optional<std::int64_t> expires_at) {
  db_->write([&](Connection& c) {
    auto st =
        c.prepare("UPDATE memories SET tier = ?3, expires_at = ?4 WHERE user_id = ?1 AND id = ?2");
    st.bind(1, user_id)
        .bind(2, row_id)
        .bind(3, std::string(core::tier_name(tier)))
        .bind(4, expires_at);
    st.run();
  });
}

bool SqliteMemoryRepository::remove(std::int64_t user_id, std::int64_t row_id) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare("DELETE FROM memories WHERE user_id = ?1 AND id = ?2");
    st.bind(1, user_id).bind(2, row_id);
    st.run();
    return c.changes() > 0;
  });
}

std::vector<core::ExpiredMemory> SqliteMemoryRepository::delete_expired(std::int64_t now) {
  return db_->write([&](Connection& c) {
    std::vector<core::ExpiredMemory> out;
    auto st = c.prepare(
        "DELETE FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ?1 "
        "RETURNING user_id, id");
    st.bind(1, now);
    while (st.step()) out.push_back({st.int64(0), st.int64(1)});
    return out;
  });
}

core::MemoryCounts SqliteMemoryRepository::counts(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    core::MemoryCounts counts;
    auto totals = c.prepare(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(CAST(content AS BLOB)) + "
        "LENGTH(CAST(tags AS BLOB))), 0), MIN(created_at), MAX(created_at) "
        "FROM memories WHERE user_id = ?1");
    totals.bind(1, user_id);
    totals.step();
    counts.total = totals.int64(0);
    counts.stored_bytes = totals.int64(1);
    counts.oldest = totals.optional_int64(2);
    counts.newest = totals.optional_int64(3);

    auto vectors = c.prepare(
        "SELECT COALESCE(SUM(LENGTH(v.vector)), 0) FROM memory_vectors v "
        "JOIN memories m ON m.id = v.memory_id WHERE m.user_id = ?1");
    vectors.bind(1, user_id);
    vectors.step();
    counts.stored_bytes += vectors.int64(0);

    auto tiers = c.prepare("SELECT tier, COUNT(*) FROM memories WHERE user_id = ?1 GROUP BY tier");
    tiers.bind(1, user_id);
    while (tiers.step()) counts.by_tier[tiers.text(0)] = tiers.int64(1);
    auto categories =
        c.prepare("SELECT category, COUNT(*) FROM memories WHERE user_id = ?1 GROUP BY category");
    categories.bind(1, user_id);
    while (categories.step()) counts.by_category[categories.text(0)] = categories.int64(1);

    auto turns = c.prepare(
        "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM messages "
        "WHERE user_id = ?1 AND role = 'user'");
    turns.bind(1, user_id);
    turns.step();
    counts.conversations = turns.int64(0);
    counts.oldest_conversation = turns.optional_int64(1);
    counts.newest_conversation = turns.optional_int64(2);
    return counts;
  });
}

}  // namespace companion::store::sqlite
