#pragma once
// The document knowledge base (RAG): files and text are extracted, chunked, embedded and
// stored per user and collection, then found again by hybrid search — BM25 over the chunks'
// words and cosine over their vectors, fused by reciprocal rank — so that both an exact
// term and a paraphrase of a fact find the passage that holds it.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedding/corpus_observer.hpp"
#include "core/embedding/embedder.hpp"
#include "core/knowledge/chunker.hpp"
#include "core/knowledge/document_extractor.hpp"
#include "core/knowledge/knowledge_repository.hpp"
#include "core/knowledge/url_fetcher.hpp"

namespace companion::core {

inline constexpr std::string_view default_collection = "documents";

struct KnowledgePorts {
  std::shared_ptr<KnowledgeRepository> repository;
  std::shared_ptr<DocumentExtractor> extractor;
  std::shared_ptr<Embedder> embedder;
  std::shared_ptr<CorpusObserver> corpus;  // may be null
  std::shared_ptr<UrlFetcher> fetcher;     // may be null: URL ingestion unavailable
};

struct FileIngest {
  std::int64_t user_id = 0;
  std::string collection{default_collection};
  std::string filename;
  std::string_view bytes;
  std::string source = "upload";
};

struct TextIngest {
  std::int64_t user_id = 0;
  std::string collection{default_collection};
  std::string text;
  std::string title;
  std::string source = "text";
};

struct IngestResult {
  KnowledgeDocument document;
  std::size_t chunks = 0;
};

// A file the extractor could not read; nothing was stored.
class IngestError : public std::runtime_error {
 public:
  explicit IngestError(ExtractionError error)
      : std::runtime_error(error.message), error_(std::move(error)) {}
  const ExtractionError& error() const { return error_; }

 private:
  ExtractionError error_;
};

struct KnowledgeSearch {
  std::string query;
  std::optional<std::string> collection;
  std::size_t limit = 5;
};

struct KnowledgeHit {
  KnowledgePassage passage;
  double score = 0;                  // fused reciprocal-rank score
  std::optional<double> similarity;  // cosine, when the chunk has a vector
};

class KnowledgeService {
 public:
  explicit KnowledgeService(KnowledgePorts ports, ChunkingOptions chunking = {});

  // Blocking (extraction, embedding, one write transaction): call from the worker pool.
  // Throws IngestError for a file that cannot be read, EmbeddingError when the embedder
  // fails; either way nothing is stored.
  IngestResult ingest_file(const FileIngest& request);
  IngestResult ingest_text(const TextIngest& request);
  // Fetches through the UrlFetcher (throws UrlFetchError), then ingests what came back.
  IngestResult ingest_url(std::int64_t user_id, std::string_view url, std::string collection);

  std::vector<KnowledgeHit> search(std::int64_t user_id, const KnowledgeSearch& search);
  std::vector<KnowledgeDocument> list(std::int64_t user_id,
                                      const std::optional<std::string>& collection);
  bool remove(std::int64_t user_id, std::string_view document_id);
  KnowledgeCounts stats(std::int64_t user_id);

 private:
  IngestResult store(KnowledgeDocument document, const std::vector<DocumentPage>& pages);

  KnowledgePorts ports_;
  ChunkingOptions chunking_;
};

}  // namespace companion::core
