#pragma once
// The storage port of long-term memory. Every call is scoped to one user; a row of another
// user is as absent as a row that never existed. Content arrives already sealed for the
// encrypted tier: the repository never sees its plaintext and never indexes it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/memory/memory.hpp"

namespace companion::core {

struct StoredMemory {
  Memory memory;            // memory.content holds the sealed bytes when `sealed`
  bool sealed = false;      // encrypted at rest; not in the lexical index
  std::string fingerprint;  // keyed hash of the normalised content, for duplicate detection
};

// One embedding as stored: which vector space made it, and the row's filterable fields.
struct StoredVector {
  std::int64_t row_id = 0;
  MemoryTier tier = MemoryTier::Session;
  std::string category;
  std::string space_id;  // empty: the memory has no vector yet
  std::vector<float> values;
};

// A memory to store together with its vector (none: stored without one).
struct NewStoredMemory {
  StoredMemory memory;
  std::optional<StoredVector> vector;
};

// Recalls of one row to add to its count, the last at `at`.
struct RecallMark {
  std::int64_t user_id = 0;
  std::int64_t row_id = 0;
  std::int64_t times = 1;
  std::int64_t at = 0;
};

// A recalled row as it is after its recalls were counted.
struct RecalledRow {
  std::int64_t user_id = 0;
  std::int64_t row_id = 0;
  std::int64_t access_count = 0;
  MemoryTier tier = MemoryTier::Session;
};

struct TierChange {
  std::int64_t user_id = 0;
  std::int64_t row_id = 0;
  MemoryTier tier = MemoryTier::Session;
  std::optional<std::int64_t> expires_at;
};

// A memory as lexical search reads it.
struct MemoryText {
  std::int64_t row_id = 0;
  MemoryTier tier = MemoryTier::Session;
  std::string category;
  std::string content;
};

struct MemoryFilter {
  std::optional<std::string> category;
  std::optional<MemoryTier> tier;
};

struct LexicalHit {
  std::int64_t row_id = 0;
  double bm25 = 0;  // lower is better, as SQLite's bm25() reports it
};

struct MemoryCounts {
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_tier;
  std::map<std::string, std::int64_t> by_category;
  std::int64_t stored_bytes = 0;  // content, tags and vectors as stored
  std::optional<std::int64_t> oldest, newest;
  // From the conversation store: the user's turns (messages the user sent).
  std::int64_t conversations = 0;
  std::optional<std::int64_t> oldest_conversation, newest_conversation;
};

struct ExpiredMemory {
  std::int64_t user_id = 0;
  std::int64_t row_id = 0;
};

class MemoryRepository {
 public:
  virtual ~MemoryRepository() = default;

  // Stores the memory (and its vector when given); returns it with row_id set.
  virtual StoredMemory insert(StoredMemory memory, const std::optional<StoredVector>& vector) = 0;
  // Stores all of them in one transaction (an import: one commit instead of one per
  // memory); returns them in order with row ids set.
  virtual std::vector<StoredMemory> insert_many(std::vector<NewStoredMemory> memories) = 0;
  // Replaces content, category, importance, tags, tier and expiry of an existing row.
  virtual void update(const StoredMemory& memory, const std::optional<StoredVector>& vector) = 0;
  virtual void put_vector(std::int64_t user_id, const StoredVector& vector) = 0;

  virtual std::optional<StoredMemory> find(std::int64_t user_id, std::string_view id) = 0;
  virtual std::optional<StoredMemory> find_row(std::int64_t user_id, std::int64_t row_id) = 0;
  virtual std::optional<StoredMemory> find_slot(std::int64_t user_id, std::string_view slot) = 0;
  virtual std::optional<StoredMemory> find_fingerprint(std::int64_t user_id,
                                                       std::string_view fingerprint) = 0;
  virtual std::vector<StoredMemory> rows(std::int64_t user_id,
                                         const std::vector<std::int64_t>& row_ids) = 0;
  // Newest first.
  virtual std::vector<StoredMemory> list(std::int64_t user_id, const MemoryFilter& filter,
                                         std::size_t limit) = 0;

  // BM25 over the unsealed memories of the user for the words of `text` (any user text: the
  // adapter quotes it for its query syntax, so no input makes the search fail).
  virtual std::vector<LexicalHit> lexical_search(std::int64_t user_id, std::string_view text,
                                                 const MemoryFilter& filter, std::size_t limit) = 0;
  // The user's memories that lexical search may read: all but the sealed tier.
  virtual std::vector<MemoryText> texts(std::int64_t user_id) = 0;
  // Every memory of the user with its vector (space_id empty when it has none).
  virtual std::vector<StoredVector> vectors(std::int64_t user_id) = 0;
  // Every memory of the user with its filterable fields only (space_id and values stay
  // empty): what a vector index read from its own file needs besides, without reading
  // the stored vectors.
  virtual std::vector<StoredVector> vector_rows(std::int64_t user_id) = 0;
  // Changes whenever one of the user's vectors is added, replaced or removed, so a saved
  // vector index can tell whether it still matches the store.
  virtual std::int64_t vector_revision(std::int64_t user_id) = 0;

  // Adds the recalls and stamps their times in one transaction; returns the rows as they
  // are afterwards (rows deleted meanwhile are left out).
  virtual std::vector<RecalledRow> record_recalls(const std::vector<RecallMark>& marks) = 0;
  virtual void change_tiers(const std::vector<TierChange>& changes) = 0;

  // False when the user has no such row.
  virtual bool remove(std::int64_t user_id, std::int64_t row_id) = 0;
  // Deletes every memory whose expires_at is at or before `now`.
  virtual std::vector<ExpiredMemory> delete_expired(std::int64_t now) = 0;

  virtual MemoryCounts counts(std::int64_t user_id) = 0;
};

}  // namespace companion::core
