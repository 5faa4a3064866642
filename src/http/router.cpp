#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace companion::http {

namespace {

// Splits "/a/b/" into {"a", "b", ""}: a trailing slash is a segment of its own, so that
// "/x" and "/x/" never match each other.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

std::vector<Router::Segment> Router::compile(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  std::vector<Segment> segments;
  for (auto part : split_path(pattern)) {
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    } else {
      if (part.find_first_of("{}") != std::string_view::npos)
        throw std::invalid_argument("malformed route pattern: " + std::string(pattern));
      segments.push_back({std::string(part), false});
    }
  }
  return segments;
}

const Route& Router::add(Route route) {
  auto segments = compile(route.pattern);
  for (const auto& existing : routes_)
    if (existing->method == route.method && existing->pattern == route.pattern)
      throw std::invalid_argument("duplicate route: " + route.pattern);
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  const Route* r = routes_.back().get();
  bool has_param =
      std::any_of(segments.begin(), segments.end(), [](const Segment& s) { return s.is_param; });
  if (!has_param) {
    static_routes_[r->pattern].push_back(r);
  } else {
    int literals = static_cast<int>(std::count_if(segments.begin(), segments.end(),
                                                  [](const Segment& s) { return !s.is_param; }));
    templated_.push_back({r, std::move(segments), literals});
    std::stable_sort(
        templated_.begin(), templated_.end(),
        [](const Compiled& a, const Compiled& b) { return a.literal_count > b.literal_count; });
  }
  return *r;
}

bool Router::match_segments(const Compiled& c, std::string_view path,
                            std::vector<std::pair<std::string, std::string>>* params) {
  auto parts = split_path(path);
  if (parts.size() != c.segments.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& seg = c.segments[i];
    if (seg.is_param) {
      if (parts[i].empty()) return false;
    } else if (seg.text != parts[i]) {
      return false;
    }
  }
  if (params) {
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (c.segments[i].is_param) params->emplace_back(c.segments[i].text, std::string(parts[i]));
  }
  return true;
}

RouteMatch Router::match(Method method, std::string_view path) const {
  RouteMatch result;
  // HEAD is answered by the GET route, without a body.
  auto wanted = [method](Method m) {
    return m == method || (method == Method::Head && m == Method::Get);
  };
  if (auto it = static_routes_.find(path); it != static_routes_.end()) {
    for (const Route* r : it->second) {
      if (wanted(r->method)) {
        result.route = r;
        return result;
      }
      result.allowed.push_back(r->method);
    }
  }
  for (const auto& c : templated_) {
    if (!match_segments(c, path, nullptr)) continue;
    if (wanted(c.route->method)) {
      result.route = c.route;
      result.allowed.clear();
      match_segments(c, path, &result.params);
      return result;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), c.route->method) ==
        result.allowed.end())
      result.allowed.push_back(c.route->method);
  }
  return result;
}

}  // namespace companion::http
