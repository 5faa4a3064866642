#pragma once
// The document knowledge base on SQLite: `knowledge_documents`, `knowledge_chunks` with the
// FTS5 index `knowledge_chunks_fts` (BM25), and float32 vectors in `knowledge_chunk_vectors`.
#include <memory>

#include "core/knowledge/knowledge_repository.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteKnowledgeRepository final : public core::KnowledgeRepository {
 public:
  explicit SqliteKnowledgeRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  void insert(const core::KnowledgeDocument& document,
              const std::vector<core::DocumentChunk>& chunks,
              const core::ChunkVectors& vectors) override;
  std::vector<core::KnowledgeDocument> list(std::int64_t user_id,
                                            const std::optional<std::string>& collection) override;
  bool remove(std::int64_t user_id, std::string_view document_id) override;
  std::vector<std::int64_t> lexical_search(std::int64_t user_id, std::string_view text,
                                           const std::optional<std::string>& collection,
                                           std::size_t limit) override;
  std::vector<core::ChunkVector> vectors(std::int64_t user_id, std::string_view space_id,
                                         const std::optional<std::string>& collection) override;
  std::vector<core::KnowledgePassage> passages(std::int64_t user_id,
                                               const std::vector<std::int64_t>& row_ids) override;
  core::KnowledgeCounts counts(std::int64_t user_id) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
