#include "core/knowledge/knowledge_service.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <unordered_map>

#include "core/knowledge/utf8_text.hpp"
#include "core/memory/rank_fusion.hpp"

namespace companion::core {

namespace {

// Embedding calls are batched so a remote provider sees requests of bounded size and a
// large document does not hold one enormous request in memory.
constexpr std::size_t embed_batch = 32;
// Each ranking contributes this many candidates per requested result before fusion, so a
// chunk ranked modestly by both BM25 and cosine can still surface.
constexpr std::size_t candidates_per_result = 4;
constexpr std::size_t min_candidates = 20;

std::string new_document_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "doc_";
  for (int i = 0; i < 2; ++i) {
    auto v = rng();
    for (int j = 0; j < 16; ++j) id += hex[(v >> (j * 4)) & 0xF];
  }
  return id;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

}  // namespace

KnowledgeService::KnowledgeService(KnowledgePorts ports, ChunkingOptions chunking)
    : ports_(std::move(ports)), chunking_(chunking) {}

IngestResult KnowledgeService::ingest_file(const FileIngest& request) {
  auto extracted = ports_.extractor->extract(request.bytes, request.filename);
  if (!extracted.ok()) throw IngestError(extracted.error());
  auto& doc = extracted.document();
  KnowledgeDocument d;
  d.user_id = request.user_id;
  d.collection = request.collection;
  d.filename = request.filename;
  d.type = doc.detected_type;
  d.title = doc.title;
  d.source = request.source;
  d.pages = static_cast<int>(doc.pages.size());
  d.bytes = static_cast<std::int64_t>(request.bytes.size());
  return store(std::move(d), doc.pages);
}

IngestResult KnowledgeService::ingest_text(const TextIngest& request) {
  KnowledgeDocument d;
  d.user_id = request.user_id;
  d.collection = request.collection;
  d.title = request.title;
  d.filename = request.title.empty() ? "text" : request.title;
  d.type = "text";
  d.source = request.source;
  d.pages = 1;
  d.bytes = static_cast<std::int64_t>(request.text.size());
  return store(std::move(d), {DocumentPage{1, repair_utf8(request.text)}});
}

IngestResult KnowledgeService::ingest_url(std::int64_t user_id, std::string_view url,
                                          std::string collection) {
  if (!ports_.fetcher)
    throw UrlFetchError(UrlFetchError::Kind::refused, "URL ingestion is not available");
  auto fetched = ports_.fetcher->fetch(url);
  FileIngest f;
  f.user_id = user_id;
  f.collection = std::move(collection);
  f.filename = fetched.filename;
  f.bytes = fetched.bytes;
  f.source = fetched.final_url;
  return ingest_file(f);
}

IngestResult KnowledgeService::store(KnowledgeDocument document,
                                     const std::vector<DocumentPage>& pages) {
  auto chunks = chunk_pages(pages, chunking_);
  if (chunks.empty())
    throw IngestError({ExtractionErrorKind::empty, "The document contains no text to index"});
  std::vector<std::string> texts;
  texts.reserve(chunks.size());
  for (const auto& c : chunks) texts.push_back(c.text);

  ChunkVectors vectors;
  vectors.space_id = ports_.embedder->model().space_id();
  vectors.values.reserve(chunks.size());
  for (std::size_t at = 0; at < texts.size(); at += embed_batch) {
    std::vector<std::string> batch(
        texts.begin() + static_cast<std::ptrdiff_t>(at),
        texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), at + embed_batch)));
    auto embedded = ports_.embedder->embed(batch);
    if (embedded.size() != batch.size())
      throw EmbeddingError("the embedder returned a different number of vectors than texts");
    for (auto& v : embedded) vectors.values.push_back(std::move(v));
  }

  document.id = new_document_id();
  document.created_at = now_seconds();
  document.chunks = static_cast<std::int64_t>(chunks.size());
  ports_.repository->insert(document, chunks, vectors);
  // Reported only once stored, so statistics never count a document that was refused.
  if (ports_.corpus) ports_.corpus->observe_documents(texts);
  return {std::move(document), chunks.size()};
}

std::vector<KnowledgeHit> KnowledgeService::search(std::int64_t user_id, const KnowledgeSearch& s) {
  if (s.limit == 0 || s.query.empty()) return {};
  std::size_t candidates = std::max(min_candidates, s.limit * candidates_per_result);
  auto lexical = ports_.repository->lexical_search(user_id, s.query, s.collection, candidates);

  std::unordered_map<std::int64_t, double> similarity;
  std::vector<std::int64_t> semantic;
  auto space = ports_.embedder->model().space_id();
  auto stored = ports_.repository->vectors(user_id, space, s.collection);
  if (!stored.empty()) {
    auto query = ports_.embedder->embed({s.query});
    if (!query.empty()) {
      std::vector<std::pair<double, std::int64_t>> scored;
      scored.reserve(stored.size());
      for (const auto& v : stored) {
        if (v.values.size() != query[0].size()) continue;
        double sim = dot(query[0], v.values);
        similarity[v.row_id] = sim;
        if (sim > 0) scored.emplace_back(sim, v.row_id);
      }
      auto keep = std::min(candidates, scored.size());
      std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep),
                        scored.end(),
                        [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t i = 0; i < keep; ++i) semantic.push_back(scored[i].second);
    }
  }

  auto fused = reciprocal_rank_fusion({lexical, semantic});
  if (fused.size() > s.limit) fused.resize(s.limit);
  std::vector<std::int64_t> ids;
  for (const auto& f : fused) ids.push_back(f.id);
  auto passages = ports_.repository->passages(user_id, ids);
  std::unordered_map<std::int64_t, KnowledgePassage*> by_row;
  for (auto& p : passages) by_row[p.row_id] = &p;

  std::vector<KnowledgeHit> hits;
  for (const auto& f : fused) {
    auto it = by_row.find(f.id);
    if (it == by_row.end()) continue;  // deleted between the ranking and the read
    KnowledgeHit hit{std::move(*it->second), f.score, std::nullopt};
    if (auto sim = similarity.find(f.id); sim != similarity.end()) hit.similarity = sim->second;
    hits.push_back(std::move(hit));
  }
  return hits;
}

std::vector<KnowledgeDocument> KnowledgeService::list(
    std::int64_t user_id, const std::optional<std::string>& collection) {
  return ports_.repository->list(user_id, collection);
}

bool KnowledgeService::remove(std::int64_t user_id, std::string_view document_id) {
  return ports_.repository->remove(user_id, document_id);
}

KnowledgeCounts KnowledgeService::stats(std::int64_t user_id) {
  return ports_.repository->counts(user_id);
}

}  // namespace companion::core
