#pragma once
// Method + path template → route. Paths are matched exactly as sent (no trailing-slash
// rewriting): "/api/sessions" and "/api/sessions/" are different routes.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/route.hpp"

namespace companion::http {

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Method> allowed;  // when the path matched but the method did not (405)
};

class Router {
 public:
  // Adds a route; throws std::invalid_argument on a malformed template or a duplicate.
  const Route& add(Route route);
  RouteMatch match(Method method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;
    bool is_param = false;
  };
  struct Compiled {
    const Route* route;
    std::vector<Segment> segments;
    int literal_count;
  };

  static std::vector<Segment> compile(std::string_view pattern);
  static bool match_segments(const Compiled& c, std::string_view path,
                             std::vector<std::pair<std::string, std::string>>* params);

  std::vector<std::unique_ptr<Route>> routes_;
  // Looked up by the request's path as a string_view: no string is built per request.
  struct PathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view path) const {
      return std::hash<std::string_view>{}(path);
    }
  };
  std::unordered_map<std::string, std::vector<const Route*>, PathHash, std::equal_to<>>
      static_routes_;
  std::vector<Compiled> templated_;  // most literal segments first
};

}  // namespace companion::http
