#include "store/sqlite/knowledge_repository.hpp"

#include "store/sqlite/memory_repository.hpp"
#include "store/sqlite/vector_blob.hpp"

namespace companion::store::sqlite {

void SqliteKnowledgeRepository::insert(const core::KnowledgeDocument& d,
                                       const std::vector<core::DocumentChunk>& chunks,
                                       const core::ChunkVectors& vectors) {
  db_->write([&](Connection& c) {
    auto doc = c.prepare(
        "INSERT INTO knowledge_documents (document_id, user_id, collection, filename, type, "
        "title, source, pages, bytes, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    doc.bind(1, d.id).bind(2, d.user_id).bind(3, d.collection).bind(4, d.filename);
    doc.bind(5, d.type).bind(6, d.title).bind(7, d.source).bind(8, d.pages);
    doc.bind(9, d.bytes).bind(10, d.created_at);
    doc.run();
    auto document_row = c.last_insert_rowid();
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      const auto& ch = chunks[i];
      auto st = c.prepare(
          "INSERT INTO knowledge_chunks (document, chunk_index, page, begin_offset, end_offset, "
          "text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      st.bind(1, document_row).bind(2, static_cast<std::int64_t>(ch.index)).bind(3, ch.page);
      st.bind(4, static_cast<std::int64_t>(ch.begin)).bind(5, static_cast<std::int64_t>(ch.end));
      st.bind(6, ch.text);
      st.run();
      if (i >= vectors.values.size()) continue;
      auto chunk_row = c.last_insert_rowid();
      const auto& v = vectors.values[i];
      auto vec = c.prepare(
          "INSERT INTO knowledge_chunk_vectors (chunk, space_id, dimension, vector) "
          "VALUES (?1, ?2, ?3, ?4)");
      vec.bind(1, chunk_row).bind(2, vectors.space_id).bind(3, static_cast<std::int64_t>(v.size()));
      vec.bind_blob(4, vector_blob(v));
      vec.run();
    }
  });
}

std::vector<core::KnowledgeDocument> SqliteKnowledgeRepository::list(
    std::int64_t user_id, const std::optional<std::string>& collection) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(
        "SELECT d.document_id, d.collection, d.filename, d.type, d.title, d.source, d.pages, "
        "d.bytes, d.created_at, (SELECT COUNT(*) FROM knowledge_chunks k WHERE k.document = d.id) "
        "FROM knowledge_documents d WHERE d.user_id = ?1 AND (?2 IS NULL OR d.collection = ?2) "
        "ORDER BY d.created_at DESC, d.id DESC");
    st.bind(1, user_id).bind(2, collection);
    std::vector<core::KnowledgeDocument> out;
    while (st.step()) {
      core::KnowledgeDocument d;
      d.id = st.text(0);
      d.user_id = user_id;
      d.collection = st.text(1);
      d.filename = st.text(2);
      d.type = st.text(3);
      d.title = st.text(4);
      d.source = st.text(5);
      d.pages = static_cast<int>(st.int64(6));
      d.bytes = st.int64(7);
      d.created_at = st.int64(8);
      d.chunks = st.int64(9);
      out.push_back(std::move(d));
    }
    return out;
  });
}

bool SqliteKnowledgeRepository::remove(std::int64_t user_id, std::string_view document_id) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare("DELETE FROM knowledge_documents WHERE document_id = ?1 AND user_id = ?2");
    st.bind(1, document_id).bind(2, user_id);
    st.run();
    return c.changes() > 0;
  });
}

std::vector<std::int64_t> SqliteKnowledgeRepository::lexical_search(
    std::int64_t user_id, std::string_view text, const std::optional<std::string>& collection,
    std::size_t limit) {
  std::vector<std::int64_t> out;
  auto match = fts_match_query(text);
  if (match.empty() || limit == 0) return out;
  return db_->read([&](Connection& c) {
    auto st = c.prepare(
        "SELECT k.id FROM knowledge_chunks_fts "
        "JOIN knowledge_chunks k ON k.id = knowledge_chunks_fts.rowid "
        "JOIN knowledge_documents d ON d.id = k.document "
        "WHERE knowledge_chunks_fts MATCH ?1 AND d.user_id = ?2 "
        "AND (?3 IS NULL OR d.collection = ?3) "
        "ORDER BY bm25(knowledge_chunks_fts) LIMIT ?4");
    st.bind(1, match).bind(2, user_id).bind(3, collection);
    st.bind(4, static_cast<std::int64_t>(limit));
    while (st.step()) out.push_back(st.int64(0));
    return out;
  });
}

std::vector<core::ChunkVector> SqliteKnowledgeRepository::vectors(
    std::int64_t user_id, std::string_view space_id, const std::optional<std::string>& collection) {
  return db_->read([&](Connection& c) {
    auto st = c.prepare(
        "SELECT v.chunk, v.vector FROM knowledge_chunk_vectors v "
        "JOIN knowledge_chunks k ON k.id = v.chunk "
        "JOIN knowledge_documents d ON d.id = k.document "
        "WHERE d.user_id = ?1 AND v.space_id = ?2 AND (?3 IS NULL OR d.collection = ?3)");
    st.bind(1, user_id).bind(2, space_id).bind(3, collection);
    std::vector<core::ChunkVector> out;
    while (st.step()) out.push_back({st.int64(0), vector_from_blob(st.text(1))});
    return out;
  });
}

std::vector<core::KnowledgePassage> SqliteKnowledgeRepository::passages(
    std::int64_t user_id, const std::vector<std::int64_t>& row_ids) {
  return db_->read([&](Connection& c) {
    std::vector<core::KnowledgePassage> out;
    for (auto row : row_ids) {
      auto st = c.prepare(
          "SELECT d.document_id, d.filename, d.collection, k.chunk_index, k.page, "
          "k.begin_offset, k.end_offset, k.text FROM knowledge_chunks k "
          "JOIN knowledge_documents d ON d.id = k.document WHERE k.id = ?1 AND d.user_id = ?2");
      st.bind(1, row).bind(2, user_id);
      if (!st.step()) continue;
      core::KnowledgePassage p;
      p.row_id = row;
      p.document_id = st.text(0);
      p.filename = st.text(1);
      p.collection = st.text(2);
      p.index = static_cast<std::size_t>(st.int64(3));
      p.page = static_cast<int>(st.int64(4));
      p.begin = static_cast<std::size_t>(st.int64(5));
      p.end = static_cast<std::size_t>(st.int64(6));
      p.text = st.text(7);
      out.push_back(std::move(p));
    }
    return out;
  });
}

core::KnowledgeCounts SqliteKnowledgeRepository::counts(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    core::KnowledgeCounts out;
    auto docs = c.prepare("SELECT COUNT(*) FROM knowledge_documents WHERE user_id = ?1");
    docs.bind(1, user_id);
    docs.step();
    out.documents = docs.int64(0);
    // LENGTH of TEXT counts characters, which is what "chunk size" means to a reader.
    auto chunks = c.prepare(
        "SELECT COUNT(*), COALESCE(AVG(LENGTH(k.text)), 0) FROM knowledge_chunks k "
        "JOIN knowledge_documents d ON d.id = k.document WHERE d.user_id = ?1");
    chunks.bind(1, user_id);
    chunks.step();
    out.chunks = chunks.int64(0);
    out.average_chunk_chars = chunks.real(1);
    auto types = c.prepare(
        "SELECT type, COUNT(*) FROM knowledge_documents WHERE user_id = ?1 GROUP BY type");
    types.bind(1, user_id);
    while (types.step()) out.documents_by_type[types.text(0)] = types.int64(1);
    auto collections = c.prepare(
        "SELECT collection, COUNT(*) FROM knowledge_documents WHERE user_id = ?1 "
        "GROUP BY collection");
    collections.bind(1, user_id);
    while (collections.step())
      out.documents_by_collection[collections.text(0)] = collections.int64(1);
    return out;
  });
}

}  // namespace companion::store::sqlite
