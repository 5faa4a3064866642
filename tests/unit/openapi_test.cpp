// The OpenAPI document a client generator would read, built from a small router.
#include "http/openapi.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

using namespace companion::http;
namespace json = boost::json;

namespace {

Route make(Method m, std::string pattern, Access access) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.access = access;
  r.handler = [](Request&) { return Response{}; };
  return r;
}

Router sample_router() {
  Router router;
  auto health = make(Method::Get, "/health", Access::Public);
  health.rate_group = "";
  health.doc.summary = "Health check";
  health.doc.tag = "System";
  router.add(std::move(health));

  auto profile = make(Method::Put, "/api/profile/{user_id}", Access::User);
  profile.doc.summary = "Update a profile";
  profile.doc.tag = "Profile";
  profile.doc.request_schema = R"({"type":"object","properties":{"name":{"type":"string"}}})";
  profile.doc.response_schema = R"({"type":"object","required":["user_id"]})";
  profile.doc.error_statuses = {404};
  router.add(std::move(profile));

  auto remove = make(Method::Delete, "/api/users/{user_id}/keys/{key_id}", Access::Admin);
  remove.doc.success_status = 204;
  remove.doc.tag = "Admin";
  router.add(std::move(remove));

  auto upload = make(Method::Post, "/api/voice/upload", Access::User);
  upload.doc.request_schema =
      R"({"type":"object","properties":{"file":{"type":"string","contentMediaType":"audio/wav"}}})";
  upload.doc.request_content_type = "multipart/form-data";
  router.add(std::move(upload));

  auto ws = make(Method::Get, "/ws/chat/", Access::User);
  ws.websocket = true;
  ws.doc.tag = "Realtime";
  router.add(std::move(ws));
  return router;
}

json::object build() {
  auto router = sample_router();
  return build_openapi(router, {"companion", "9.8.7", ""});
}

}  // namespace

TEST(OpenApi, HeaderAndEveryPath) {
  auto doc = build();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_EQ(doc.at("info").at("version").as_string(), "9.8.7");
  const auto& paths = doc.at("paths").as_object();
  EXPECT_EQ(paths.size(), 5u);
  EXPECT_TRUE(paths.at("/health").as_object().contains("get"));
  EXPECT_TRUE(paths.at("/api/profile/{user_id}").as_object().contains("put"));
  EXPECT_TRUE(paths.at("/api/users/{user_id}/keys/{key_id}").as_object().contains("delete"));
  EXPECT_TRUE(paths.at("/ws/chat/").as_object().contains("get"));
}

TEST(OpenApi, PathParametersFromTemplate) {
  auto doc = build();
  const auto& op = doc.at("paths").at("/api/users/{user_id}/keys/{key_id}").at("delete");
  const auto& params = op.at("parameters").as_array();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].at("name").as_string(), "user_id");
  EXPECT_EQ(params[1].at("name").as_string(), "key_id");
  EXPECT_EQ(params[0].at("in").as_string(), "path");
  EXPECT_TRUE(params[0].at("required").as_bool());
  EXPECT_FALSE(doc.at("paths").at("/health").at("get").as_object().contains("parameters"));
}

TEST(OpenApi, RequestBodyAndResponses) {
  auto doc = build();
  const auto& op = doc.at("paths").at("/api/profile/{user_id}").at("put").as_object();
  EXPECT_EQ(op.at("requestBody")
                .at("content")
                .at("application/json")
                .at("schema")
                .at("properties")
                .at("name")
                .at("type")
                .as_string(),
            "string");
  const auto& responses = op.at("responses").as_object();
  EXPECT_EQ(responses.at("200")
                .at("content")
                .at("application/json")
                .at("schema")
                .at("required")
                .as_array()[0]
                .as_string(),
            "user_id");
  EXPECT_EQ(
      responses.at("404").at("content").at("application/json").at("schema").at("$ref").as_string(),
      "#/components/schemas/ErrorBody");
  EXPECT_EQ(
      responses.at("422").at("content").at("application/json").at("schema").at("$ref").as_string(),
      "#/components/schemas/ValidationError");
  EXPECT_TRUE(responses.contains("401"));  // a credential is required
  EXPECT_TRUE(responses.contains("429"));  // rate limited ("default" group)

  const auto& upload = doc.at("paths").at("/api/voice/upload").at("post").as_object();
  EXPECT_TRUE(upload.at("requestBody").at("content").as_object().contains("multipart/form-data"));
  EXPECT_FALSE(upload.at("responses").as_object().contains("422"));

  const auto& removed = doc.at("paths").at("/api/users/{user_id}/keys/{key_id}").at("delete");
  EXPECT_FALSE(removed.at("responses").at("204").as_object().contains("content"));
  EXPECT_TRUE(removed.at("responses").as_object().contains("403"));
}

TEST(OpenApi, SecurityOnProtectedRoutesOnly) {
  auto doc = build();
  const auto& schemes = doc.at("components").at("securitySchemes").as_object();
  EXPECT_EQ(schemes.at("bearerAuth").at("scheme").as_string(), "bearer");
  EXPECT_EQ(schemes.at("apiKeyHeader").at("name").as_string(), "X-API-Key");
  EXPECT_EQ(schemes.at("apiKeyQuery").at("in").as_string(), "query");
  EXPECT_EQ(schemes.at("apiKeyCookie").at("in").as_string(), "cookie");
  EXPECT_EQ(schemes.at("apiKeyAuthorization").at("name").as_string(), "Authorization");

  const auto& security =
      doc.at("paths").at("/api/profile/{user_id}").at("put").at("security").as_array();
  EXPECT_EQ(security.size(), schemes.size());  // any one accepted credential is enough
  EXPECT_FALSE(doc.at("paths").at("/health").at("get").as_object().contains("security"));
  EXPECT_FALSE(doc.at("paths").at("/health").at("get").at("responses").as_object().contains("429"));
}

TEST(OpenApi, ComponentsTagsAndWebSocket) {
  auto doc = build();
  const auto& schemas = doc.at("components").at("schemas").as_object();
  EXPECT_TRUE(schemas.contains("ErrorBody"));
  EXPECT_TRUE(schemas.contains("ValidationError"));
  std::vector<std::string> tags;
  for (const auto& t : doc.at("tags").as_array()) tags.emplace_back(t.at("name").as_string());
  EXPECT_NE(std::find(tags.begin(), tags.end(), "Realtime"), tags.end());
  EXPECT_NE(std::find(tags.begin(), tags.end(), "System"), tags.end());

  const auto& ws = doc.at("paths").at("/ws/chat/").at("get").as_object();
  EXPECT_NE(ws.at("description").as_string().find("WebSocket"), json::string::npos);
  EXPECT_TRUE(ws.at("responses").as_object().contains("101"));
}

TEST(OpenApi, OperationIdsAreUnique) {
  Router router;
  router.add(make(Method::Get, "/api/sessions", Access::User));
  router.add(make(Method::Get, "/api/sessions/", Access::User));
  auto doc = build_openapi(router, {"companion", "1", ""});
  EXPECT_NE(doc.at("paths").at("/api/sessions").at("get").at("operationId"),
            doc.at("paths").at("/api/sessions/").at("get").at("operationId"));
}

TEST(OpenApi, BrokenSchemaNamesTheRoute) {
  Router router;
  auto r = make(Method::Post, "/broken", Access::User);
  r.doc.request_schema = "{not json";
  router.add(std::move(r));
  try {
    build_openapi(router, {"companion", "1", ""});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("/broken"), std::string::npos);
  }
}
