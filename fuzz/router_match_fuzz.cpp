// The router on arbitrary paths: the first byte picks the method, the rest is the path.
// Checks that a match is consistent with the route it names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/router.hpp"

using namespace companion::http;

namespace {

const Router& route_table() {
  static const Router router = [] {
    Router r;
    const std::pair<Method, const char*> table[] = {
        {Method::Get, "/health"},
        {Method::Post, "/api/echo"},
        {Method::Get, "/api/sessions"},
        {Method::Post, "/api/sessions/"},
        {Method::Get, "/api/sessions/{session_id}"},
        {Method::Get, "/api/memory/stats"},
        {Method::Delete, "/api/memory/{memory_id}"},
        {Method::Get, "/api/chat/ws/{user_id}"},
        {Method::Get, "/v1/sessions/{session_id}/messages"},
        {Method::Post, "/v1/sessions/{session_id}/messages/{message_id}/feedback"},
        {Method::Get, "/api/agents/{agent_id}/"},
        {Method::Get, "/"},
    };
    for (const auto& [method, pattern] : table) {
      Route route;
      route.method = method;
      route.pattern = pattern;
      route.handler = [](Request&) { return Response{}; };
      r.add(std::move(route));
    }
    return r;
  }();
  return router;
}

std::size_t segment_count(std::string_view path) {
  std::size_t n = 0;
  for (char c : path) n += c == '/';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto method = static_cast<Method>(data[0] % 7);
  std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  RouteMatch m = route_table().match(method, path);
  if (m.route == nullptr) return 0;
  // A matched route has as many segments as the path, one non-empty value per parameter,
  // and no 405 list.
  if (segment_count(m.route->pattern) != segment_count(path)) std::abort();
  for (const auto& [name, value] : m.params)
    if (name.empty() || value.empty() || value.find('/') != std::string::npos) std::abort();
  if (!m.allowed.empty()) std::abort();
  return 0;
}
