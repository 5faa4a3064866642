#pragma once
// The port through which the knowledge service stores documents, their chunks and the
// chunks' vectors, and finds them again. Every call is scoped to one user: a user's
// documents and chunks are invisible to every other user.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/knowledge/chunker.hpp"

namespace companion::core {

struct KnowledgeDocument {
  std::string id;  // "doc_…"
  std::int64_t user_id = 0;
  std::string collection;
  std::string filename;
  std::string type;  // the extractor's detected_type
  std::string title;
  std::string source;  // where it came from: "upload", a URL, or the caller's metadata
  int pages = 0;
  std::int64_t bytes = 0;  // size of what was ingested
  std::int64_t created_at = 0;
  std::int64_t chunks = 0;  // filled when read back
};

struct ChunkVectors {
  std::string space_id;
  std::vector<std::vector<float>> values;  // one per chunk, in chunk order
};

struct KnowledgePassage {
  std::int64_t row_id = 0;  // the chunk's row, for ranking
  std::string document_id;
  std::string filename;
  std::string collection;
  std::size_t index = 0;
  int page = 1;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

struct ChunkVector {
  std::int64_t row_id = 0;
  std::vector<float> values;
};

struct KnowledgeCounts {
  std::int64_t documents = 0;
  std::int64_t chunks = 0;
  double average_chunk_chars = 0;  // characters, not bytes
  std::map<std::string, std::int64_t> documents_by_type;
  std::map<std::string, std::int64_t> documents_by_collection;
};

class KnowledgeRepository {
 public:
  virtual ~KnowledgeRepository() = default;
  // The document, its chunks and their vectors in one transaction: all or nothing.
  virtual void insert(const KnowledgeDocument& document, const std::vector<DocumentChunk>& chunks,
                      const ChunkVectors& vectors) = 0;
  // Newest first, optionally of one collection.
  virtual std::vector<KnowledgeDocument> list(std::int64_t user_id,
                                              const std::optional<std::string>& collection) = 0;
  // False when the user holds no such document. Chunks and vectors go with it.
  virtual bool remove(std::int64_t user_id, std::string_view document_id) = 0;
  // Chunk rows matching the words of `text` by BM25, best first.
  virtual std::vector<std::int64_t> lexical_search(std::int64_t user_id, std::string_view text,
                                                   const std::optional<std::string>& collection,
                                                   std::size_t limit) = 0;
  // The user's chunk vectors of one vector space.
  virtual std::vector<ChunkVector> vectors(std::int64_t user_id, std::string_view space_id,
                                           const std::optional<std::string>& collection) = 0;
  // The passages of those chunk rows that belong to the user (order not kept).
  virtual std::vector<KnowledgePassage> passages(std::int64_t user_id,
                                                 const std::vector<std::int64_t>& row_ids) = 0;
  virtual KnowledgeCounts counts(std::int64_t user_id) = 0;
};

}  // namespace companion::core
