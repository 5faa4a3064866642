#include "store/sqlite/memory_repository.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/embedding/stop_words.hpp"
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

// One read transaction around many statements: one snapshot for all of them, and one
// lock of the database instead of one per statement (each costs system calls).
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& c) : c_(c) { c_.exec("BEGIN"); }
  ~ReadTransaction() {
    try {
      c_.exec("COMMIT");
    } catch (const DatabaseError&) {
      // A read-only transaction has nothing to lose; the connection is reset on next use.
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& c_;
};

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

namespace {

// The words of any user text, at most max_query_terms of them.
std::vector<std::string> query_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && words.size() < max_query_terms) words.push_back(word);
    word.clear();
  };
  for (unsigned char c : text) {
    if (is_word_byte(c))
      word += static_cast<char>(c);
    else
      flush();
  }
  flush();
  return words;
}

// Every word quoted (a word of letters and digits holds no quote to escape), joined by OR.
std::string any_of(const std::vector<std::string>& words) {
  std::string query;
  for (const auto& w : words) {
    if (!query.empty()) query += " OR ";
    query += '"' + w + '"';
  }
  return query;
}

// A function word, or the stray letter of a contraction or possessive ("user's" → "s").
bool is_function_word(const std::string& word) {
  std::string lower;
  for (unsigned char c : word) lower += static_cast<char>(std::tolower(c));
  return core::is_stop_word(lower) || (lower.size() == 1 && std::isalpha(lower[0]));
}

}  // namespace

std::string fts_match_query(std::string_view text) {
  return any_of(query_words(text));
}

std::string fts_user_query(std::int64_t user_id, std::string_view text) {
  auto words = query_words(text);
  std::vector<std::string> topical;
  for (const auto& w : words)
    if (!is_function_word(w)) topical.push_back(w);
  // Function words match most rows and add next to nothing to BM25, yet every matched row
  // costs a score; a question made only of them ("what do I have") keeps them all.
  auto terms = any_of(topical.empty() ? words : topical);
  if (terms.empty()) return {};
  return "owner : u" + std::to_string(user_id) + " AND content : (" + terms + ")";
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

namespace {

core::StoredMemory insert_row(Connection& c, core::StoredMemory memory,
                              const std::optional<core::StoredVector>& vector) {
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
}

}  // namespace

core::StoredMemory SqliteMemoryRepository::insert(core::StoredMemory memory,
                                                  const std::optional<core::StoredVector>& vector) {
  return db_->write([&](Connection& c) { return insert_row(c, std::move(memory), vector); });
}

std::vector<core::StoredMemory> SqliteMemoryRepository::insert_many(
    std::vector<core::NewStoredMemory> memories) {
  return db_->write([&](Connection& c) {
    std::vector<core::StoredMemory> out;
    out.reserve(memories.size());
    for (auto& m : memories) out.push_back(insert_row(c, std::move(m.memory), m.vector));
    return out;
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
    ReadTransaction snapshot(c);
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
  auto match = fts_user_query(user_id, text);
  if (match.empty() || limit == 0) return out;
  auto rows = static_cast<std::int64_t>(limit);
  return db_->read([&](Connection& c) {
    if (!filter.category && !filter.tier) {
      // The owner token already keeps other users' rows out: no join needed.
      auto st = c.prepare(
          "SELECT rowid, rank FROM memories_fts WHERE memories_fts MATCH ?1 "
          "ORDER BY rank LIMIT ?2");
      st.bind(1, match).bind(2, rows);
      while (st.step()) out.push_back({st.int64(0), st.real(1)});
      return out;
    }
    auto st = c.prepare(
        "SELECT f.rowid, f.rank FROM memories_fts f JOIN memories m ON m.id = f.rowid "
        "WHERE memories_fts MATCH ?1 AND m.user_id = ?2 AND (?3 IS NULL OR m.category = ?3) "
        "AND (?4 IS NULL OR m.tier = ?4) ORDER BY f.rank LIMIT ?5");
    st.bind(1, match).bind(2, user_id);
    bind_filter(st, 3, filter);
    st.bind(5, rows);
    while (st.step()) out.push_back({st.int64(0), st.real(1)});
    return out;
  });
}

std::vector<core::MemoryText> SqliteMemoryRepository::texts(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    std::vector<core::MemoryText> out;
    auto st = c.prepare(
        "SELECT id, tier, category, content FROM memories WHERE user_id = ?1 AND sealed = 0");
    st.bind(1, user_id);
    while (st.step())
      out.push_back({st.int64(0), core::parse_tier(st.text(1)).value_or(core::MemoryTier::Session),
                     st.text(2), st.text(3)});
    return out;
  });
}

std::vector<core::StoredVector> SqliteMemoryRepository::vectors(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    // The rows first, then their vectors in row order: the vectors (4 KiB each at 1024
    // dimensions) lie in the file in that order, so a user's 100k of them are read front
    // to back instead of in the order of whichever index found the rows, which on a cold
    // page cache is the difference between seconds and minutes.
    ReadTransaction snapshot(c);
    std::vector<core::StoredVector> out;
    auto rows = c.prepare("SELECT id, tier, category FROM memories WHERE user_id = ?1");
    rows.bind(1, user_id);
    while (rows.step()) {
      core::StoredVector v;
      v.row_id = rows.int64(0);
      v.tier = core::parse_tier(rows.text(1)).value_or(core::MemoryTier::Session);
      v.category = rows.text(2);
      out.push_back(std::move(v));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.row_id < b.row_id; });
    for (auto& v : out) {
      auto st = c.prepare("SELECT space_id, vector FROM memory_vectors WHERE memory_id = ?1");
      st.bind(1, v.row_id);
      if (!st.step()) continue;
      v.space_id = st.text(0);
      v.values = vector_from_blob(st.text(1));
    }
    return out;
  });
}

std::vector<core::StoredVector> SqliteMemoryRepository::vector_rows(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    std::vector<core::StoredVector> out;
    auto st = c.prepare("SELECT id, tier, category FROM memories WHERE user_id = ?1");
    st.bind(1, user_id);
    while (st.step()) {
      core::StoredVector v;
      v.row_id = st.int64(0);
      v.tier = core::parse_tier(st.text(1)).value_or(core::MemoryTier::Session);
      v.category = st.text(2);
      out.push_back(std::move(v));
    }
    return out;
  });
}

std::int64_t SqliteMemoryRepository::vector_revision(std::int64_t user_id) {
  return db_->read([&](Connection& c) -> std::int64_t {
    auto st = c.prepare("SELECT revision FROM memory_vector_revisions WHERE user_id = ?1");
    st.bind(1, user_id);
    return st.step() ? st.int64(0) : 0;
  });
}

std::vector<core::RecalledRow> SqliteMemoryRepository::record_recalls(
    const std::vector<core::RecallMark>& marks) {
  if (marks.empty()) return {};
  return db_->write([&](Connection& c) {
    std::vector<core::RecalledRow> out;
    for (const auto& mark : marks) {
      auto st = c.prepare(
          "UPDATE memories SET access_count = access_count + ?3, "
          "last_accessed_at = MAX(last_accessed_at, ?4) WHERE user_id = ?1 AND id = ?2 "
          "RETURNING access_count, tier");
      st.bind(1, mark.user_id).bind(2, mark.row_id).bind(3, mark.times).bind(4, mark.at);
      if (!st.step()) continue;
      out.push_back({mark.user_id, mark.row_id, st.int64(0),
                     core::parse_tier(st.text(1)).value_or(core::MemoryTier::Session)});
    }
    return out;
  });
}

void SqliteMemoryRepository::change_tiers(const std::vector<core::TierChange>& changes) {
  if (changes.empty()) return;
  db_->write([&](Connection& c) {
    for (const auto& change : changes) {
      auto st = c.prepare(
          "UPDATE memories SET tier = ?3, expires_at = ?4 WHERE user_id = ?1 AND id = ?2");
      st.bind(1, change.user_id)
          .bind(2, change.row_id)
          .bind(3, std::string(core::tier_name(change.tier)))
          .bind(4, change.expires_at);
      st.run();
    }
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
