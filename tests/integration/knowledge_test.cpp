// Document knowledge (RAG) as clients see it over real sockets: uploads through Voice
// Assistant's /api/rag/upload and YouWorker's /v1/ingestion/*, hybrid search that cites the
// document and page, statistics, isolation between users, refused files that store nothing,
// URL ingestion under the address policy, and deletion.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/api_helpers.hpp"
#include "support/docx_writer.hpp"
#include "support/fake_http_server.hpp"
#include "support/http_client.hpp"
#include "support/pdf_writer.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const std::string& boundary = form_boundary;

json::object search(HttpClient& client, const std::string& token, const std::string& query) {
  auto res = client.post_json("/v1/documents/search", json::object{{"query", query}, {"limit", 5}},
                              bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.json().as_object();
}

json::object stats(HttpClient& client, const std::string& token) {
  auto res = client.get("/api/rag/stats", bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.json().as_object();
}

const std::vector<std::string> pdf_pages = {
    "The lighthouse keepers association was founded on the northern coast. Members meet "
    "twice a year to discuss maintenance of the lamps and the weather along the cliffs.",
    "Project Nightingale uses a launch code. The launch code for Project Nightingale is "
    "amber falcon seven, and only the director may change it.",
    "The appendix lists the tide tables for the harbour and the opening hours of the "
    "museum, which closes early on Sundays during the winter season."};

const std::vector<std::string> docx_paragraphs = {
    "Welcome to the team handbook.",
    "The quarterly budget meeting takes place in the Copenhagen office every Thursday morning.",
    "Holiday requests should be filed two weeks in advance through the staff portal."};

}  // namespace

TEST(KnowledgeApi, UploadedPdfAndDocxAnswerQuestionsWithTheirPage) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "rhea");

  auto pdf = post_form(client, "/api/rag/upload", token,
                       {{"file", make_pdf(pdf_pages), "manual.pdf", "application/pdf"}});
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  auto pdf_json = pdf.json().as_object();
  EXPECT_TRUE(pdf_json.at("success").as_bool());
  EXPECT_EQ(pdf_json.at("filename").as_string(), "manual.pdf");
  auto pdf_chunks = pdf_json.at("chunks").as_int64();
  EXPECT_GE(pdf_chunks, 3);  // a chunk never crosses a page
  EXPECT_EQ(pdf_json.at("message").as_string(),
            "Document indexed successfully (" + std::to_string(pdf_chunks) + " chunks)");

  auto docx = post_form(
      client, "/v1/ingestion/upload", token,
      {{"file", make_docx(docx_paragraphs), "handbook.docx"}, {"collection_name", "team"}});
  ASSERT_EQ(docx.status, 200) << docx.body;
  auto docx_json = docx.json().as_object();
  EXPECT_EQ(docx_json.at("status").as_string(), "success");
  EXPECT_EQ(std::string(docx_json.at("document_id").as_string()).rfind("doc_", 0), 0u);
  EXPECT_EQ(docx_json.at("filename").as_string(), "handbook.docx");
  EXPECT_EQ(docx_json.at("pages").as_int64(), 1);
  EXPECT_GE(docx_json.at("chunks").as_int64(), 1);
  EXPECT_TRUE(docx_json.at("processing_time_ms").is_number());

  auto found = search(client, token, "What is the launch code for Project Nightingale?");
  auto& results = found.at("results").as_array();
  ASSERT_FALSE(results.empty());
  auto& first = results[0].as_object();
  EXPECT_EQ(first.at("filename").as_string(), "manual.pdf");
  EXPECT_EQ(first.at("page").as_int64(), 2);
  EXPECT_NE(std::string(first.at("text").as_string()).find("falcon seven"), std::string::npos)
      << first.at("text").as_string();

  found = search(client, token, "where is the budget meeting held?");
  auto& budget = found.at("results").as_array();
  ASSERT_FALSE(budget.empty());
  EXPECT_EQ(budget[0].at("document_id"), docx_json.at("document_id"));
  EXPECT_EQ(budget[0].at("collection_name").as_string(), "team");
  EXPECT_NE(std::string(budget[0].at("text").as_string()).find("Copenhagen"), std::string::npos);

  auto s = stats(client, token);
  EXPECT_EQ(s.at("total_documents").as_int64(), 2);
  EXPECT_EQ(s.at("total_chunks").as_int64(), pdf_chunks + docx_json.at("chunks").as_int64());
  EXPECT_GT(s.at("average_chunk_size").as_double(), 0.0);

  auto analytics = client.get("/v1/analytics/ingestion", bearer(token));
  ASSERT_EQ(analytics.status, 200) << analytics.body;
  auto a = analytics.json().as_object();
  EXPECT_EQ(a.at("total_documents").as_int64(), 2);
  EXPECT_EQ(a.at("by_type").at("pdf").as_int64(), 1);
  EXPECT_EQ(a.at("by_type").at("docx").as_int64(), 1);
  EXPECT_EQ(a.at("by_collection").at("documents").as_int64(), 1);
  EXPECT_EQ(a.at("by_collection").at("team").as_int64(), 1);

  auto listed = client.get("/v1/documents?collection_name=team", bearer(token));
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto docs = listed.json().at("documents").as_array();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].at("filename").as_string(), "handbook.docx");
}

TEST(KnowledgeApi, AnotherUserSeesNothing) {
  TestServer server;
  HttpClient client(server.port());
  auto owner = register_user(client, "owner");
  auto other = register_user(client, "other");
  auto up = post_form(client, "/v1/ingestion/upload", owner,
                      {{"file", make_pdf(pdf_pages), "manual.pdf", "application/pdf"}});
  ASSERT_EQ(up.status, 200) << up.body;
  std::string id(up.json().at("document_id").as_string());

  EXPECT_TRUE(
      search(client, other, "launch code Project Nightingale").at("results").as_array().empty());
  auto listed = client.get("/v1/documents", bearer(other));
  ASSERT_EQ(listed.status, 200);
  EXPECT_TRUE(listed.json().at("documents").as_array().empty());
  EXPECT_EQ(stats(client, other).at("total_documents").as_int64(), 0);
  EXPECT_EQ(client.request("DELETE", "/v1/documents/" + id, {}, bearer(other)).status, 404);
  // The owner's document survived the other user's attempt.
  EXPECT_EQ(stats(client, owner).at("total_documents").as_int64(), 1);
  // An ordinary user cannot act for someone else through user_id.
  auto as_owner = post_form(client, "/api/rag/upload", other,
                            {{"file", "plain words", "a.txt", "text/plain"}, {"user_id", "owner"}});
  EXPECT_EQ(as_owner.status, 403) << as_owner.body;
}

TEST(KnowledgeApi, RefusedFilesAnswerWhyAndStoreNothing) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "vera");
  PdfOptions locked;
  locked.encrypted = true;
  auto enc = post_form(client, "/api/rag/upload", token,
                       {{"file", make_pdf(pdf_pages, locked), "secret.pdf", "application/pdf"}});
  EXPECT_EQ(enc.status, 422) << enc.body;
  std::string detail(enc.json().at("detail").as_string());
  EXPECT_NE(detail.find("encrypt"), std::string::npos) << detail;
  EXPECT_EQ(enc.json().at("status_code").as_int64(), 422);

  auto zip = post_form(client, "/v1/ingestion/upload", token,
                       {{"file", make_zip({{"notes/readme.txt", "hello"}}), "archive.docx"}});
  EXPECT_EQ(zip.status, 415) << zip.body;

  auto missing = post_form(client, "/v1/ingestion/upload", token, {{"collection_name", "x"}});
  ASSERT_EQ(missing.status, 422) << missing.body;
  auto loc = missing.json().at("detail").as_array()[0].at("loc").as_array();
  ASSERT_EQ(loc.size(), 2u);
  EXPECT_EQ(loc[0].as_string(), "body");
  EXPECT_EQ(loc[1].as_string(), "file");

  auto auth = bearer(token);
  auth.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
  auto truncated = client.request("POST", "/api/rag/upload",
                                  "--" + boundary +
                                      "\r\nContent-Disposition: form-data; "
                                      "name=\"file\"; filename=\"a.txt\"\r\n\r\nno end",
                                  auth);
  EXPECT_EQ(truncated.status, 400) << truncated.body;

  auto s = stats(client, token);
  EXPECT_EQ(s.at("total_documents").as_int64(), 0);
  EXPECT_EQ(s.at("total_chunks").as_int64(), 0);
}

TEST(KnowledgeApi, TextIngestionIsSearchableAndDeleteRemovesItsChunks) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "theo");
  auto res = client.post_json(
      "/v1/ingestion/text",
      json::object{{"text", "Our wifi password at the cabin is heron-lake-42. Bring warm socks."},
                   {"metadata", json::object{{"source", "manual"}, {"title", "Cabin notes"}}},
                   {"collection_name", "documents"}},
      bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("status").as_string(), "success");
  EXPECT_EQ(body.at("chunks").as_int64(), 1);
  std::string id(body.at("document_id").as_string());

  auto found = search(client, token, "cabin wifi password");
  ASSERT_FALSE(found.at("results").as_array().empty());
  EXPECT_EQ(found.at("results").as_array()[0].at("document_id").as_string(), id);
  EXPECT_EQ(found.at("results").as_array()[0].at("filename").as_string(), "Cabin notes");

  auto del = client.request("DELETE", "/v1/documents/" + id, {}, bearer(token));
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_TRUE(search(client, token, "cabin wifi password").at("results").as_array().empty());
  EXPECT_EQ(stats(client, token).at("total_chunks").as_int64(), 0);
  EXPECT_EQ(client.request("DELETE", "/v1/documents/" + id, {}, bearer(token)).status, 404);

  auto empty = client.post_json("/v1/ingestion/text", json::object{{"text", ""}}, bearer(token));
  EXPECT_EQ(empty.status, 422);
}

namespace {

void serve_article(FakeConnection& c) {
  std::string html =
      "<!DOCTYPE html><html><head><title>Orchard report</title></head><body>"
      "<h1>Orchard report</h1><p>The orchard harvested nine hundred crates of pears "
      "this autumn, a record for the valley.</p></body></html>";
  c.send("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
         std::to_string(html.size()) + "\r\nConnection: close\r\n\r\n" + html);
}

}  // namespace

TEST(KnowledgeApi, UrlIngestionFetchesAllowedHostsOnly) {
  FakeHttpServer site(serve_article);
  {
    TestServer strict;  // the default: loopback is refused
    HttpClient client(strict.port());
    auto token = register_user(client, "uma");
    auto res = client.post_json("/v1/ingestion/url",
                                json::object{{"url", site.url("/reports/orchard")}}, bearer(token));
    EXPECT_EQ(res.status, 400) << res.body;
    std::string detail(res.json().at("detail").as_string());
    EXPECT_NE(detail.find("loopback"), std::string::npos) << detail;
    EXPECT_EQ(stats(client, token).at("total_documents").as_int64(), 0);
    EXPECT_EQ(site.connections(), 0);
  }
  TestServer open([](companion::app::Config& c) { c.ingestion_allow_private = true; });
  HttpClient client(open.port());
  auto token = register_user(client, "uma");
  auto res = client.post_json(
      "/v1/ingestion/url",
      json::object{{"url", site.url("/reports/orchard")}, {"collection_name", "web"}},
      bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("filename").as_string(), "orchard");
  EXPECT_EQ(body.at("type").as_string(), "html");
  auto found = search(client, token, "how many crates of pears");
  ASSERT_FALSE(found.at("results").as_array().empty());
  EXPECT_EQ(found.at("results").as_array()[0].at("document_id"), body.at("document_id"));
}
