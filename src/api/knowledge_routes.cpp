#include "api/knowledge_routes.hpp"

#include <chrono>
#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/acting_user.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/multipart.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_collection = 100;
constexpr std::size_t max_filename = 255;
constexpr std::size_t max_query = 2000;
constexpr std::size_t max_text = 10u << 20;
constexpr std::size_t max_url = 2048;
constexpr std::int64_t max_search_limit = 50;

constexpr const char* upload_request_schema = R"({
  "type": "object",
  "required": ["file"],
  "properties": {
    "file": {"type": "string", "format": "binary",
             "description": "PDF, DOCX, HTML, Markdown or plain text"},
    "collection_name": {"type": "string", "default": "documents"},
    "user_id": {"type": "string", "description": "Admins only: the user to act for"}
  }
})";

constexpr const char* rag_upload_schema = R"({
  "type": "object",
  "properties": {
    "success": {"type": "boolean"}, "filename": {"type": "string"},
    "chunks": {"type": "integer"}, "message": {"type": "string"}
  }
})";

constexpr const char* rag_stats_schema = R"({
  "type": "object",
  "properties": {
    "total_documents": {"type": "integer"}, "total_chunks": {"type": "integer"},
    "average_chunk_size": {"type": "number", "description": "In characters"}
  }
})";

constexpr const char* ingested_schema = R"({
  "type": "object",
  "properties": {
    "status": {"type": "string", "enum": ["success"]},
    "document_id": {"type": "string"}, "filename": {"type": "string"},
    "collection_name": {"type": "string"}, "type": {"type": "string"},
    "pages": {"type": "integer"}, "chunks": {"type": "integer"},
    "processing_time_ms": {"type": "number"}
  }
})";

constexpr const char* url_schema = R"({
  "type": "object",
  "required": ["url"],
  "properties": {
    "url": {"type": "string", "maxLength": 2048},
    "collection_name": {"type": "string", "default": "documents"}
  }
})";

constexpr const char* text_schema = R"({
  "type": "object",
  "required": ["text"],
  "properties": {
    "text": {"type": "string", "minLength": 1},
    "metadata": {"type": "object", "properties": {
      "source": {"type": "string"}, "title": {"type": "string"}}},
    "collection_name": {"type": "string", "default": "documents"}
  }
})";

constexpr const char* documents_schema = R"({
  "type": "object",
  "properties": {
    "documents": {"type": "array", "items": {"type": "object", "properties": {
      "document_id": {"type": "string"}, "filename": {"type": "string"},
      "collection_name": {"type": "string"}, "type": {"type": "string"},
      "title": {"type": "string"}, "source": {"type": "string"},
      "pages": {"type": "integer"}, "chunks": {"type": "integer"},
      "size_bytes": {"type": "integer"},
      "created_at": {"type": "string", "format": "date-time"}}}},
    "total": {"type": "integer"}
  }
})";

constexpr const char* search_request_schema = R"({
  "type": "object",
  "required": ["query"],
  "properties": {
    "query": {"type": "string", "minLength": 1, "maxLength": 2000},
    "collection_name": {"type": "string"},
    "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}
  }
})";

constexpr const char* search_results_schema = R"({
  "type": "object",
  "properties": {
    "results": {"type": "array", "items": {"type": "object", "properties": {
      "document_id": {"type": "string"}, "filename": {"type": "string"},
      "collection_name": {"type": "string"}, "chunk_index": {"type": "integer"},
      "page": {"type": "integer"}, "start": {"type": "integer"}, "end": {"type": "integer"},
      "text": {"type": "string"}, "score": {"type": "number"},
      "similarity": {"type": ["number", "null"]}}}},
    "count": {"type": "integer"},
    "search_time_ms": {"type": "number"}
  }
})";

constexpr const char* analytics_schema = R"({
  "type": "object",
  "properties": {
    "total_documents": {"type": "integer"}, "total_chunks": {"type": "integer"},
    "average_chunk_size": {"type": "number"},
    "by_type": {"type": "object", "additionalProperties": {"type": "integer"}},
    "by_collection": {"type": "object", "additionalProperties": {"type": "integer"}}
  }
})";

struct Deps {
  std::shared_ptr<core::AccountService> accounts;
  std::shared_ptr<core::KnowledgeService> knowledge;
};

// The user a knowledge request acts for. The root key is no user: it must name one.
core::Principal acting_user(Deps& d, const http::Request& req, std::string_view named) {
  auto p = resolve_acting_user(*d.accounts, req, named);
  if (p.user_id == 0)
    throw http::HttpError(400, "The root key holds no documents itself: name a user_id");
  return p;
}

double elapsed_ms(std::chrono::steady_clock::time_point started) {
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return std::round(ms * 100) / 100;
}

// Extraction problems answer with what is wrong with the file: 415 for a type we cannot
// read, 413 for one beyond the limits, 422 for a readable type whose content is unusable.
[[noreturn]] void throw_ingest_error(const core::IngestError& e) {
  int status = 422;
  switch (e.error().kind) {
    case core::ExtractionErrorKind::unsupported_type:
      status = 415;
      break;
    case core::ExtractionErrorKind::too_large:
      status = 413;
      break;
    default:
      break;
  }
  throw http::HttpError(status, e.error().message);
}

template <class F>
core::IngestResult ingesting(F&& f) {
  try {
    return f();
  } catch (const core::IngestError& e) {
    throw_ingest_error(e);
  } catch (const core::EmbeddingError& e) {
    throw http::HttpError(503, std::string("The embedding provider failed: ") + e.what());
  } catch (const core::UrlFetchError& e) {
    int status = e.kind() == core::UrlFetchError::Kind::refused     ? 400
                 : e.kind() == core::UrlFetchError::Kind::too_large ? 413
                                                                    : 502;
    throw http::HttpError(status, std::string("The URL could not be ingested: ") + e.what());
  }
}

// A short text field of a form: validated like a JSON field (422 naming it).
std::optional<std::string> form_text(const http::MultipartForm& form, std::string_view name,
                                     std::size_t max_len, std::vector<http::FieldError>& errors) {
  auto v = form.field(name);
  if (v && v->size() > max_len)
    errors.push_back({{"body", std::string(name)},
                      "ensure this value has at most " + std::to_string(max_len) + " characters",
                      "value_error.any_str.max_length"});
  return v;
}

struct Upload {
  core::FileIngest ingest;
  std::string named_user;
};

Upload read_upload(const http::MultipartForm& form) {
  std::vector<http::FieldError> errors;
  Upload u;
  const auto* file = form.find("file");
  if (!file) errors.push_back({{"body", "file"}, "field required", "value_error.missing"});
  u.ingest.collection = form_text(form, "collection_name", max_collection, errors)
                            .value_or(std::string(core::default_collection));
  if (u.ingest.collection.empty()) u.ingest.collection = std::string(core::default_collection);
  u.named_user = form_text(form, "user_id", 64, errors).value_or("");
  if (!errors.empty()) throw http::ValidationError(std::move(errors));
  u.ingest.bytes = file->data;
  std::string name = file->filename.value_or("upload");
  // Only the final path segment: browsers on some systems send a full client path.
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
  if (name.size() > max_filename) name.resize(max_filename);
  u.ingest.filename = name.empty() ? "upload" : name;
  return u;
}

json::object ingested_json(const core::IngestResult& r, double ms) {
  const auto& d = r.document;
  return json::object{{"status", "success"},    {"document_id", d.id},
                      {"filename", d.filename}, {"collection_name", d.collection},
                      {"type", d.type},         {"pages", d.pages},
                      {"chunks", r.chunks},     {"processing_time_ms", ms}};
}

http::Response rag_upload(Deps& d, http::Request& req) {
  http::MultipartForm form(req);
  auto upload = read_upload(form);
  if (upload.named_user == "default_user") upload.named_user.clear();  // the seed's default
  upload.ingest.user_id = acting_user(d, req, upload.named_user).user_id;
  auto result = ingesting([&] { return d.knowledge->ingest_file(upload.ingest); });
  return http::Response::json(
      200, json::object{{"success", true},
                        {"filename", result.document.filename},
                        {"chunks", result.chunks},
                        {"document_id", result.document.id},
                        {"message", "Document indexed successfully (" +
                                        std::to_string(result.chunks) + " chunks)"}});
}

http::Response ingestion_upload(Deps& d, http::Request& req) {
  auto started = std::chrono::steady_clock::now();
  http::MultipartForm form(req);
  auto upload = read_upload(form);
  upload.ingest.user_id = acting_user(d, req, upload.named_user).user_id;
  auto result = ingesting([&] { return d.knowledge->ingest_file(upload.ingest); });
  return http::Response::json(200, ingested_json(result, elapsed_ms(started)));
}

std::string read_collection(http::JsonBody& body) {
  auto c = body.optional_string("collection_name", max_collection);
  return c && !c->empty() ? *c : std::string(core::default_collection);
}

http::Response ingestion_text(Deps& d, http::Request& req) {
  auto started = std::chrono::steady_clock::now();
  http::JsonBody body(req);
  core::TextIngest t;
  t.text = body.required_string("text", 1, max_text);
  if (auto meta = body.optional_object("metadata")) {
    if (auto* s = meta->if_contains("source"); s && s->is_string())
      t.source = std::string(s->as_string());
    if (auto* title = meta->if_contains("title"); title && title->is_string())
      t.title = std::string(title->as_string()).substr(0, max_filename);
  }
  t.collection = read_collection(body);
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  t.user_id = acting_user(d, req, named).user_id;
  auto result = ingesting([&] { return d.knowledge->ingest_text(t); });
  auto out = ingested_json(result, elapsed_ms(started));
  return http::Response::json(200, out);
}

http::Response ingestion_url(Deps& d, http::Request& req) {
  auto started = std::chrono::steady_clock::now();
  http::JsonBody body(req);
  auto url = body.required_string("url", 1, max_url);
  auto collection = read_collection(body);
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  auto user = acting_user(d, req, named).user_id;
  auto result = ingesting([&] { return d.knowledge->ingest_url(user, url, collection); });
  return http::Response::json(200, ingested_json(result, elapsed_ms(started)));
}

http::Response list_documents(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto collection = query.string("collection_name", max_collection);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(d, req, named);
  json::array docs;
  for (const auto& doc : d.knowledge->list(user.user_id, collection))
    docs.push_back(json::object{{"document_id", doc.id},
                                {"filename", doc.filename},
                                {"collection_name", doc.collection},
                                {"type", doc.type},
                                {"title", doc.title},
                                {"source", doc.source},
                                {"pages", doc.pages},
                                {"chunks", doc.chunks},
                                {"size_bytes", doc.bytes},
                                {"created_at", http::iso8601_from_unix(doc.created_at)}});
  auto total = docs.size();
  return http::Response::json(200, json::object{{"documents", std::move(docs)}, {"total", total}});
}

http::Response delete_document(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(d, req, named);
  std::string id(req.param("document_id"));
  // Another user's document answers exactly as a missing one, so ids cannot be probed.
  if (!d.knowledge->remove(user.user_id, id)) throw http::HttpError(404, "Document not found");
  return http::Response::json(
      200,
      json::object{{"status", "success"}, {"message", "Document deleted"}, {"document_id", id}});
}

http::Response search_documents(Deps& d, http::Request& req) {
  auto started = std::chrono::steady_clock::now();
  http::JsonBody body(req);
  core::KnowledgeSearch s;
  s.query = body.required_string("query", 1, max_query);
  s.collection = body.optional_string("collection_name", max_collection);
  s.limit = static_cast<std::size_t>(body.optional_int("limit", 1, max_search_limit).value_or(5));
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  auto user = acting_user(d, req, named);
  std::vector<core::KnowledgeHit> hits;
  try {
    hits = d.knowledge->search(user.user_id, s);
  } catch (const core::EmbeddingError& e) {
    throw http::HttpError(503, std::string("The embedding provider failed: ") + e.what());
  }
  json::array results;
  for (const auto& h : hits) {
    const auto& p = h.passage;
    results.push_back(json::object{
        {"document_id", p.document_id},
        {"filename", p.filename},
        {"collection_name", p.collection},
        {"chunk_index", p.index},
        {"page", p.page},
        {"start", p.begin},
        {"end", p.end},
        {"text", p.text},
        {"score", h.score},
        {"similarity", h.similarity ? json::value(*h.similarity) : json::value(nullptr)}});
  }
  auto count = results.size();
  return http::Response::json(200, json::object{{"results", std::move(results)},
                                                {"count", count},
                                                {"search_time_ms", elapsed_ms(started)}});
}

json::object counts_json(const std::map<std::string, std::int64_t>& counts) {
  json::object o;
  for (const auto& [k, v] : counts) o[k] = v;
  return o;
}

double average_size(const core::KnowledgeCounts& c) {
  return std::round(c.average_chunk_chars * 10) / 10;
}

http::Response rag_stats(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  if (named == "default_user") named.clear();
  auto c = d.knowledge->stats(acting_user(d, req, named).user_id);
  return http::Response::json(200, json::object{{"total_documents", c.documents},
                                                {"total_chunks", c.chunks},
                                                {"average_chunk_size", average_size(c)}});
}

http::Response ingestion_analytics(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto c = d.knowledge->stats(acting_user(d, req, named).user_id);
  return http::Response::json(
      200, json::object{{"total_documents", c.documents},
                        {"total_chunks", c.chunks},
                        {"average_chunk_size", average_size(c)},
                        {"by_type", counts_json(c.documents_by_type)},
                        {"by_collection", counts_json(c.documents_by_collection)}});
}

http::Route knowledge_route(http::Method method, std::string pattern, http::Handler handler,
                            std::string summary, std::string tag) {
  http::Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.access = http::Access::User;
  r.handler = std::move(handler);
  r.doc.tag = std::move(tag);
  r.doc.summary = std::move(summary);
  r.doc.error_statuses = {400, 401, 403, 422, 429};
  return r;
}

http::Route upload_route(std::string pattern, http::Handler handler, std::string summary,
                         std::string tag) {
  auto r = knowledge_route(http::Method::Post, std::move(pattern), std::move(handler),
                           std::move(summary), std::move(tag));
  r.body_limit = http::limits::document_upload;
  r.long_running = true;  // extracting and embedding a large document takes seconds
  r.doc.request_schema = upload_request_schema;
  r.doc.request_content_type = "multipart/form-data";
  r.doc.error_statuses = {400, 401, 403, 413, 415, 422, 429, 503};
  return r;
}

}  // namespace

void register_knowledge_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts,
                               std::shared_ptr<core::KnowledgeService> knowledge) {
  auto d = std::make_shared<Deps>(Deps{std::move(accounts), std::move(knowledge)});
  auto r = upload_route(
      "/api/rag/upload", [d](http::Request& req) { return rag_upload(*d, req); },
      "Upload a document (PDF, DOCX, HTML, Markdown, text) and index it for retrieval", "RAG");
  r.doc.response_schema = rag_upload_schema;
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Get, "/api/rag/stats", [d](http::Request& req) { return rag_stats(*d, req); },
      "Documents and chunks indexed for the user", "RAG");
  r.doc.response_schema = rag_stats_schema;
  router.add(std::move(r));

  r = upload_route(
      "/v1/ingestion/upload", [d](http::Request& req) { return ingestion_upload(*d, req); },
      "Upload and index a document into a collection", "Ingestion");
  r.doc.response_schema = ingested_schema;
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Post, "/v1/ingestion/url",
      [d](http::Request& req) { return ingestion_url(*d, req); },
      "Fetch a URL (public addresses only unless configured) and index what it returns",
      "Ingestion");
  r.long_running = true;  // waits on a remote server up to the fetch's time limit
  r.doc.request_schema = url_schema;
  r.doc.response_schema = ingested_schema;
  r.doc.error_statuses = {400, 401, 403, 413, 415, 422, 429, 502, 503};
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Post, "/v1/ingestion/text",
      [d](http::Request& req) { return ingestion_text(*d, req); }, "Index raw text", "Ingestion");
  r.body_limit = http::limits::document_upload;
  r.doc.request_schema = text_schema;
  r.doc.response_schema = ingested_schema;
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Get, "/v1/documents",
      [d](http::Request& req) { return list_documents(*d, req); },
      "The caller's documents, newest first (filter: collection_name)", "Documents");
  r.doc.response_schema = documents_schema;
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Delete, "/v1/documents/{document_id}",
      [d](http::Request& req) { return delete_document(*d, req); },
      "Delete a document with its chunks and vectors", "Documents");
  r.doc.error_statuses = {401, 403, 404, 422, 429};
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Post, "/v1/documents/search",
      [d](http::Request& req) { return search_documents(*d, req); },
      "Hybrid search (BM25 fused with vector similarity) over the caller's document passages",
      "Documents");
  r.doc.request_schema = search_request_schema;
  r.doc.response_schema = search_results_schema;
  router.add(std::move(r));

  r = knowledge_route(
      http::Method::Get, "/v1/analytics/ingestion",
      [d](http::Request& req) { return ingestion_analytics(*d, req); },
      "Ingestion statistics: documents and chunks, by type and by collection", "Analytics");
  r.doc.response_schema = analytics_schema;
  router.add(std::move(r));
}

}  // namespace companion::api
