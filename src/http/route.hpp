#pragma once
// A route: method + path template, the handler, and what the middleware and the transport
// need to know about it (who may call it, its body limit, its rate-limit group, its docs).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "http/method.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace companion::http {

using Handler = std::function<Response(Request&)>;

enum class Access {
  Public,  // no credential needed; one that is sent is still checked and attached
  User,    // any authenticated principal
  Admin,   // admin users and the root key
};

namespace limits {
constexpr std::size_t json_body = 1u << 20;         // 1 MiB
constexpr std::size_t audio_upload = 25u << 20;     // 25 MiB (AI Coach)
constexpr std::size_t document_upload = 50u << 20;  // 50 MiB
}  // namespace limits

// OpenAPI description of a route. Schemas are JSON Schema documents as text, so a route
// file states its contract next to its handler.
struct RouteDoc {
  std::string summary;
  std::string tag;
  std::string description;
  std::string request_schema;  // JSON body schema; empty: no body
  std::string request_content_type = "application/json";
  std::string response_schema;  // 2xx body schema; empty: {"type":"object"}
  int success_status = 200;
  std::string response_content_type = "application/json";
  std::vector<int> error_statuses;  // documented error answers
};

struct Route {
  Method method = Method::Get;
  std::string pattern;  // "/api/profile/{user_id}"
  Handler handler;
  Access access = Access::User;
  std::string rate_group = "default";  // empty: not rate limited (health probes, docs)
  std::size_t body_limit = limits::json_body;
  bool runs_inline = false;   // true: cheap and non-blocking, answered on the network thread
  bool long_running = false;  // true: may block for seconds (a chat turn, a fetch); own pool
  bool websocket = false;     // the handler answers Response::upgrade
  std::size_t websocket_message_limit = limits::json_body;
  RouteDoc doc;
};

}  // namespace companion::http
