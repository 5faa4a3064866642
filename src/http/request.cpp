#include "http/request.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>

namespace companion::http {

std::string_view Request::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> Request::query(std::string_view name) const {
  if (query_string.empty()) return std::nullopt;
  // A malformed query (a stray "%zz") must not throw: it simply names no parameter.
  auto parsed = boost::urls::parse_query(query_string);
  if (!parsed) return std::nullopt;
  boost::urls::params_view view(*parsed);
  auto it = view.find(name);
  if (it == view.end()) return std::nullopt;
  return std::string((*it).value);
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto header = headers.get("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      std::string_view value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

}  // namespace companion::http
