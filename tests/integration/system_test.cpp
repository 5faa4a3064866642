// Health, system status, OpenAPI and the documentation pages, as a client sees them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "app/state.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const HeaderList kRoot = {{"X-API-Key", "root-test-key-0123456789"}};

// A stand-in for what the build installs from npm, with known bytes.
struct FakeAssets {
  TempDir dir;
  std::string bundle;
  FakeAssets() {
    for (int i = 0; i < 5000; ++i) bundle += "/*" + std::to_string(i) + "*/";
    write("swagger-ui/swagger-ui-bundle.js", bundle);
    write("swagger-ui/swagger-ui-standalone-preset.js", "var SwaggerUIStandalonePreset={};");
    write("swagger-ui/swagger-ui.css", "body{}");
    write("swagger-ui/favicon-32x32.png", "\x89PNG");
    write("redoc/redoc.standalone.js", "var Redoc={};");
    std::ofstream(dir.path().parent_path() / (dir.path().filename().string() + "-secret.txt"))
        << "secret";
  }
  ~FakeAssets() {
    std::error_code ec;
    fs::remove(dir.path().parent_path() / (dir.path().filename().string() + "-secret.txt"), ec);
  }
  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((dir.path() / relative).parent_path());
    std::ofstream(dir.path() / relative, std::ios::binary) << text;
  }
};

std::set<std::string> local_asset_urls(const std::string& html) {
  std::set<std::string> urls;
  for (const char* attribute : {"src=\"", "href=\""}) {
    for (auto at = html.find(attribute); at != std::string::npos;
         at = html.find(attribute, at + 1)) {
      auto begin = at + std::string_view(attribute).size();
      urls.insert(html.substr(begin, html.find('"', begin) - begin));
    }
  }
  return urls;
}

}  // namespace

TEST(SystemHealth, AnswersTheUnionOfTheDocumentedShapes) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.get("/health");
  ASSERT_EQ(res.status, 200);
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("status").as_string(), "healthy");
  EXPECT_EQ(body.at("version").as_string(), server.app().config().version);
  EXPECT_FALSE(body.at("timestamp").as_string().empty());
  EXPECT_TRUE(body.at("service_ready").as_bool());
  EXPECT_TRUE(body.at("event_bus").is_bool());
  EXPECT_EQ(body.at("active_sessions").to_number<std::int64_t>(), 0);
  const auto& services = body.at("services").as_object();
  EXPECT_EQ(services.at("storage").as_string(), "healthy");
  EXPECT_EQ(services.at("worker_pool").as_string(), "healthy");
  EXPECT_GE(body.at("uptime_seconds").as_int64(), 0);
}

TEST(SystemHealth, UptimeGrows) {
  TestServer server;
  HttpClient client(server.port());
  std::int64_t first = client.get("/health").json().at("uptime_seconds").as_int64();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  std::int64_t later = client.get("/health").json().at("uptime_seconds").as_int64();
  EXPECT_GE(later, first + 1);
}

TEST(SystemHealth, CountsOpenRealtimeSessions) {
  TestServer server;
  HttpClient client(server.port());
  const auto& routes = server.app().state().http.router().routes();
  auto ws = std::find_if(routes.begin(), routes.end(), [](const auto& r) {
    return r->websocket && r->pattern.find('{') == std::string::npos &&
           r->access == companion::http::Access::Public;
  });
  if (ws == routes.end()) GTEST_SKIP() << "no public WebSocket route registered yet";
  WsClient peer(server.port(), (*ws)->pattern);
  // The session count follows the transport's counter, which the upgrade has raised.
  std::int64_t sessions = 0;
  for (int i = 0; i < 100 && sessions == 0; ++i) {
    sessions = client.get("/health").json().at("active_sessions").to_number<std::int64_t>();
    if (sessions == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(sessions, 1);
}

TEST(SystemHealth, FailingCheckMakesItDegraded) {
  TestServer server([](companion::app::Config& c) { c.health_refresh_ms = 100; });
  server.app().state().health->registry().add("llm_api", [] {
    return companion::core::CheckResult{companion::core::HealthState::Unhealthy, "no answer"};
  });
  HttpClient client(server.port());
  json::object body;
  for (int i = 0; i < 200; ++i) {
    body = client.get("/health").json().as_object();
    if (body.at("services").as_object().contains("llm_api")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(body.at("status").as_string(), "degraded");
  EXPECT_EQ(body.at("services").at("llm_api").as_string(), "unhealthy");
  EXPECT_FALSE(body.at("service_ready").as_bool());
}

TEST(SystemHealth, V1HealthMeasuresResourceUsage) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.get("/api/v1/health");
  ASSERT_EQ(res.status, 200);
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("status").as_string(), "healthy");
  EXPECT_TRUE(body.contains("services"));
  EXPECT_TRUE(body.contains("uptime_seconds"));
  const auto& usage = body.at("resource_usage").as_object();
  double cores = usage.at("cpu_cores").to_number<double>();
  double cpu = usage.at("cpu_percent").to_number<double>();
  double memory = usage.at("memory_percent").to_number<double>();
  EXPECT_GE(cores, 1.0);
  EXPECT_GE(cpu, 0.0);
  EXPECT_LE(cpu, 100.0 * cores);
  EXPECT_GT(memory, 0.0);
  EXPECT_LT(memory, 100.0);
  EXPECT_GT(usage.at("memory_rss_mb").to_number<double>(), 0.0);
  EXPECT_GE(usage.at("threads").to_number<std::int64_t>(), 2);
  EXPECT_GE(usage.at("open_files").to_number<std::int64_t>(), 3);
  EXPECT_FALSE(usage.contains("gpu_memory_percent"));  // nothing to measure
}

TEST(SystemStatus, ReportsFeaturesAndTransportCounters) {
  TestServer server;
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/api/system/status").status, 401);
  HttpClient other(server.port());  // a second connection for the counters to count
  ASSERT_EQ(other.get("/health").status, 200);
  auto res = client.get("/api/system/status", kRoot);
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("status").as_string(), "active");
  const auto& features = body.at("features").as_object();
  for (const char* name : {"conversation", "memory", "rag", "event_bus", "music_streaming",
                           "session_isolation", "websocket"})
    EXPECT_TRUE(features.at(name).is_bool()) << name;
  const auto& connections = body.at("stats").at("connections").as_object();
  EXPECT_GE(connections.at("active").to_number<std::int64_t>(), 1);  // this request's own
  EXPECT_GE(connections.at("total").to_number<std::int64_t>(), 2);
}

TEST(SystemOpenApi, ListsEveryRegisteredRoute) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.get("/openapi.json");
  ASSERT_EQ(res.status, 200) << res.body;
  auto doc = res.json().as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_EQ(doc.at("info").at("version").as_string(), server.app().config().version);
  const auto& paths = doc.at("paths").as_object();
  std::size_t operations = 0;
  for (const auto& route : server.app().state().http.router().routes()) {
    std::string method(companion::http::to_string(route->method));
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    ASSERT_TRUE(paths.contains(route->pattern)) << route->pattern;
    EXPECT_TRUE(paths.at(route->pattern).as_object().contains(method))
        << method << " " << route->pattern;
    ++operations;
  }
  std::size_t documented = 0;
  for (const auto& [path, item] : paths) documented += item.as_object().size();
  EXPECT_EQ(documented, operations);
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("ErrorBody"));

  auto again = client.get("/api/schema/");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json(), res.json());
}

TEST(SystemDocs, PagesLoadLocalAssetsThatDownload) {
  FakeAssets assets;
  TestServer server([&](companion::app::Config& c) { c.asset_dir = assets.dir.path().string(); });
  HttpClient client(server.port());
  for (const char* page : {"/docs", "/api/schema/swagger-ui/", "/redoc", "/api/schema/redoc/"}) {
    auto res = client.get(page);
    ASSERT_EQ(res.status, 200) << page;
    EXPECT_NE(res.header("content-type").find("text/html"), std::string::npos);
    EXPECT_EQ(res.body.find("://"), std::string::npos) << page << " must not load from a CDN";
    auto urls = local_asset_urls(res.body);
    EXPECT_FALSE(urls.empty()) << page;
    for (const auto& url : urls) {
      auto asset = client.get(url);
      EXPECT_EQ(asset.status, 200) << url;
      EXPECT_FALSE(asset.body.empty()) << url;
    }
  }
  auto bundle = client.get("/docs/assets/swagger-ui/swagger-ui-bundle.js");
  EXPECT_EQ(bundle.body, assets.bundle);
  EXPECT_EQ(bundle.header("accept-ranges"), "bytes");
  EXPECT_NE(bundle.header("content-type").find("javascript"), std::string::npos);
}

TEST(SystemDocs, RangeOnAnAssetReturnsThoseBytes) {
  FakeAssets assets;
  TestServer server([&](companion::app::Config& c) { c.asset_dir = assets.dir.path().string(); });
  HttpClient client(server.port());
  const std::string url = "/docs/assets/swagger-ui/swagger-ui-bundle.js";
  const auto size = assets.bundle.size();

  auto part = client.get(url, {{"Range", "bytes=100-199"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, assets.bundle.substr(100, 100));
  EXPECT_EQ(part.header("content-range"), "bytes 100-199/" + std::to_string(size));

  auto tail = client.get(url, {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, assets.bundle.substr(size - 10));

  auto beyond = client.get(url, {{"Range", "bytes=" + std::to_string(size) + "-"}});
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.header("content-range"), "bytes */" + std::to_string(size));

  auto cached = client.get(url, {{"If-None-Match", client.get(url).header("etag")}});
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());

  // The connection is still usable after every kind of answer.
  EXPECT_EQ(client.get("/health").status, 200);
}

TEST(SystemDocs, TraversalIs404) {
  FakeAssets assets;
  TestServer server([&](companion::app::Config& c) { c.asset_dir = assets.dir.path().string(); });
  HttpClient client(server.port());
  std::string secret = "/docs/assets/../" + assets.dir.path().filename().string() + "-secret.txt";
  for (const std::string& target :
       {std::string("/docs/assets/%2e%2e/swagger-ui.css"),
        std::string("/docs/assets/swagger-ui/%2e%2e"), std::string("/docs/assets/../../etc/passwd"),
        std::string("/docs/assets/swagger-ui/..%2f..%2fsecret.txt"),
        std::string("/docs/assets/swagger-ui/nope.js"), secret}) {
    auto res = client.get(target);
    EXPECT_EQ(res.status, 404) << target;
    EXPECT_EQ(res.body.find("secret\""), std::string::npos);
  }
}

TEST(SystemDocs, MissingAssetsAre503WithHowToInstall) {
  TempDir empty;
  TestServer server(
      [&](companion::app::Config& c) { c.asset_dir = (empty.path() / "not-installed").string(); });
  HttpClient client(server.port());
  for (const char* target : {"/docs", "/redoc", "/docs/assets/redoc/redoc.standalone.js"}) {
    auto res = client.get(target);
    EXPECT_EQ(res.status, 503) << target;
    EXPECT_NE(res.json().at("detail").as_string().find("npm"), json::string::npos);
  }
  EXPECT_EQ(client.get("/openapi.json").status, 200);  // the document needs no assets
}
