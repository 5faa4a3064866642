#include "api/docs_routes.hpp"

#include <memory>
#include <mutex>

#include "http/error.hpp"
#include "http/openapi.hpp"
#include "http/static_files.hpp"

namespace companion::api {

namespace fs = std::filesystem;

namespace {

constexpr const char* kInstallHint =
    "API documentation assets are not installed: build the web_assets target (it installs "
    "swagger-ui-dist and redoc with npm into <build>/assets), or point asset_dir "
    "(COMPANION_ASSET_DIR) at a folder holding swagger-ui/ and redoc/.";

// The OpenAPI document, built once on first use: by then every route is registered.
class OpenApiCache {
 public:
  OpenApiCache(const http::Router& router, std::string version)
      : router_(router), version_(std::move(version)) {}

  const std::string& text() {
    std::call_once(once_, [this] {
      http::OpenApiInfo info;
      info.title = "companion";
      info.version = version_;
      info.description =
          "Self-hosted AI companion server. One core serves the AI Friend, Voice Assistant, "
          "Chattr, YouWorker and AI Coach APIs and an OpenAI-compatible surface.";
      text_ = http::to_json_text(http::build_openapi(router_, info));
    });
    return text_;
  }

 private:
  const http::Router& router_;
  std::string version_;
  std::once_flag once_;
  std::string text_;
};

bool assets_installed(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "swagger-ui" / "swagger-ui-bundle.js", ec) &&
         fs::is_regular_file(dir / "redoc" / "redoc.standalone.js", ec);
}

std::string swagger_page(const std::string& spec_url) {
  std::string a = kDocsAssetPrefix;
  return R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>companion API - Swagger UI</title>
<link rel="stylesheet" href=")" +
         a + R"(swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href=")" +
         a + R"(swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src=")" +
         a + R"(swagger-ui/swagger-ui-bundle.js"></script>
<script src=")" +
         a + R"(swagger-ui/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: ")" +
         spec_url +
         R"(",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
</script>
</body>
</html>
)";
}

std::string redoc_page(const std::string& spec_url) {
  return R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>companion API - ReDoc</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url=")" +
         spec_url + R"("></redoc>
<script src=")" +
         std::string(kDocsAssetPrefix) +
         R"(redoc/redoc.standalone.js"></script>
</body>
</html>
)";
}

http::Route docs_get(std::string pattern, std::string summary) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = std::move(pattern);
  route.access = http::Access::Public;
  route.rate_group = "";
  route.doc.summary = std::move(summary);
  route.doc.tag = "Documentation";
  return route;
}

void add_schema_route(http::Router& router, const std::string& pattern,
                      std::shared_ptr<OpenApiCache> cache) {
  auto route = docs_get(pattern, "OpenAPI 3.1 document of this server");
  route.doc.response_schema = R"({"type": "object", "required": ["openapi", "info", "paths"]})";
  route.handler = [cache](http::Request&) {
    auto r = http::Response::text(200, cache->text(), "application/json");
    r.headers.set("Cache-Control", "no-cache");
    return r;
  };
  router.add(std::move(route));
}

void add_page_route(http::Router& router, const std::string& pattern, std::string summary,
                    std::string html, fs::path asset_dir) {
  auto route = docs_get(pattern, std::move(summary));
  route.doc.response_content_type = "text/html";
  route.doc.response_schema = R"({"type": "string"})";
  route.doc.error_statuses = {503};
  route.handler = [html = std::move(html), asset_dir = std::move(asset_dir)](http::Request&) {
    if (!assets_installed(asset_dir)) throw http::HttpError(503, kInstallHint);
    return http::Response::text(200, html, "text/html; charset=utf-8");
  };
  router.add(std::move(route));
}

}  // namespace

void register_docs_routes(http::Router& router, DocsInfo info) {
  auto cache = std::make_shared<OpenApiCache>(router, info.version);
  add_schema_route(router, "/openapi.json", cache);
  add_schema_route(router, "/api/schema/", cache);

  add_page_route(router, "/docs", "Swagger UI", swagger_page("/openapi.json"), info.asset_dir);
  add_page_route(router, "/api/schema/swagger-ui/", "Swagger UI", swagger_page("/api/schema/"),
                 info.asset_dir);
  add_page_route(router, "/redoc", "ReDoc", redoc_page("/openapi.json"), info.asset_dir);
  add_page_route(router, "/api/schema/redoc/", "ReDoc", redoc_page("/api/schema/"), info.asset_dir);

  auto assets = docs_get(std::string(kDocsAssetPrefix) + "{package}/{file}",
                         "A file of the documentation pages (Swagger UI, ReDoc)");
  assets.doc.response_content_type = "application/octet-stream";
  assets.doc.response_schema =
      R"({"type": "string", "contentMediaType": "application/octet-stream"})";
  assets.doc.description = "Supports Range (206/416), ETag and If-None-Match (304).";
  assets.doc.error_statuses = {404, 416, 503};
  assets.handler = [asset_dir = info.asset_dir](http::Request& req) {
    std::error_code ec;
    if (!fs::is_directory(asset_dir, ec)) throw http::HttpError(503, kInstallHint);
    std::string relative = std::string(req.param("package")) + "/" + std::string(req.param("file"));
    http::StaticFileOptions options;
    // The URLs carry no version, so clients revalidate with the ETag after an hour.
    options.cache_control = "public, max-age=3600";
    return http::serve_file(asset_dir, relative, req, options);
  };
  router.add(std::move(assets));
}

}  // namespace companion::api
