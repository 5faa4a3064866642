#pragma once
// OpenAPI 3.1 document generated from the registered routes: each route states its own
// contract (RouteDoc), so the document cannot drift from what the server answers.
#include <string>

#include <boost/json/object.hpp>

#include "http/router.hpp"

namespace companion::http {

struct OpenApiInfo {
  std::string title = "companion";
  std::string version;
  std::string description;
};

// Builds the document for every route of `router`. Throws std::invalid_argument naming the
// route when a RouteDoc schema is not valid JSON, so a broken contract fails loudly in tests.
boost::json::object build_openapi(const Router& router, const OpenApiInfo& info);

}  // namespace companion::http
