// Wires document knowledge: the SQLite repository, the content-detecting extractor, the
// configured embedder and corpus statistics, the URL fetcher under the configured address
// policy, and the /api/rag, /v1/ingestion and /v1/documents routes.
#include "api/knowledge_routes.hpp"
#include "app/state.hpp"
#include "media/documents/content_document_extractor.hpp"
#include "providers/fetch/http_url_fetcher.hpp"
#include "store/sqlite/knowledge_repository.hpp"

namespace companion::app {

namespace {

net::AddressPolicy ingestion_policy(const Config& config) {
  auto policy = net::AddressPolicy::strict();
  policy.allow_private(config.ingestion_allow_private);
  for (const auto& host : config.ingestion_allowed_hosts)
    if (!host.empty()) policy.allow(host);
  return policy;
}

}  // namespace

void wire_knowledge(Companion::State& s) {
  core::KnowledgePorts ports;
  ports.repository = std::make_shared<store::sqlite::SqliteKnowledgeRepository>(s.database);
  core::ExtractionLimits limits;
  limits.max_input_bytes = http::limits::document_upload;
  ports.extractor = std::make_shared<media::ContentDocumentExtractor>(limits);
  ports.embedder = s.embedder;
  ports.corpus = s.corpus_statistics;
  providers::UrlFetchOptions fetch;
  fetch.policy = ingestion_policy(s.config);
  fetch.max_bytes = http::limits::document_upload;
  ports.fetcher = std::make_shared<providers::HttpUrlFetcher>(std::move(fetch));
  s.knowledge = std::make_shared<core::KnowledgeService>(std::move(ports));
  api::register_knowledge_routes(s.http.router(), s.accounts, s.knowledge);
}

}  // namespace companion::app
