#pragma once
// Long-term memory on SQLite: rows in `memories`, BM25 through the FTS5 index
// `memories_fts` (scoped to a user by its owner column), float32 vectors (with the space
// that made them) in `memory_vectors`, and a revision per user that moves with them.
#include <memory>

#include "core/memory/memory_repository.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteMemoryRepository final : public core::MemoryRepository {
 public:
  explicit SqliteMemoryRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  core::StoredMemory insert(core::StoredMemory memory,
                            const std::optional<core::StoredVector>& vector) override;
  std::vector<core::StoredMemory> insert_many(std::vector<core::NewStoredMemory> memories) override;
  void update(const core::StoredMemory& memory,
              const std::optional<core::StoredVector>& vector) override;
  void put_vector(std::int64_t user_id, const core::StoredVector& vector) override;

  std::optional<core::StoredMemory> find(std::int64_t user_id, std::string_view id) override;
  std::optional<core::StoredMemory> find_row(std::int64_t user_id, std::int64_t row_id) override;
  std::optional<core::StoredMemory> find_slot(std::int64_t user_id, std::string_view slot) override;
  std::optional<core::StoredMemory> find_fingerprint(std::int64_t user_id,
                                                     std::string_view fingerprint) override;
  std::vector<core::StoredMemory> rows(std::int64_t user_id,
                                       const std::vector<std::int64_t>& row_ids) override;
  std::vector<core::StoredMemory> list(std::int64_t user_id, const core::MemoryFilter& filter,
                                       std::size_t limit) override;

  std::vector<core::LexicalHit> lexical_search(std::int64_t user_id, std::string_view text,
                                               const core::MemoryFilter& filter,
                                               std::size_t limit) override;
  std::vector<core::MemoryText> texts(std::int64_t user_id) override;
  std::vector<core::StoredVector> vectors(std::int64_t user_id) override;
  std::vector<core::StoredVector> vector_rows(std::int64_t user_id) override;
  std::int64_t vector_revision(std::int64_t user_id) override;

  std::vector<core::RecalledRow> record_recalls(
      const std::vector<core::RecallMark>& marks) override;
  void change_tiers(const std::vector<core::TierChange>& changes) override;

  bool remove(std::int64_t user_id, std::int64_t row_id) override;
  std::vector<core::ExpiredMemory> delete_expired(std::int64_t now) override;

  core::MemoryCounts counts(std::int64_t user_id) override;

 private:
  std::shared_ptr<Database> db_;
};

// The FTS5 query for any user text: every word quoted (so no character of the input is
// read as query syntax) and joined with OR, leaving the ranking to BM25. Empty when the
// text has no words.
std::string fts_match_query(std::string_view text);

// The FTS5 query of memory search: the user's owner token AND any of the text's words
// (quoted, as above), function words left out unless the text has nothing else.
std::string fts_user_query(std::int64_t user_id, std::string_view text);

}  // namespace companion::store::sqlite
