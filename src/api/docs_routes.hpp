#pragma once
// API documentation: the OpenAPI document (/openapi.json, /api/schema/), Swagger UI
// (/docs, /api/schema/swagger-ui/), ReDoc (/redoc, /api/schema/redoc/) and the files those
// pages load, served from this server's asset folder (never a CDN).
#include <filesystem>
#include <string>

#include "http/router.hpp"

namespace companion::api {

struct DocsInfo {
  std::string version;
  std::filesystem::path asset_dir;  // holds swagger-ui/ and redoc/
};

// Where the documentation pages load their files from.
inline constexpr const char* kDocsAssetPrefix = "/docs/assets/";

// Register last: the OpenAPI document covers every route of the router, built on the first
// request (when registration is over) and then cached.
void register_docs_routes(http::Router& router, DocsInfo info);

}  // namespace companion::api
