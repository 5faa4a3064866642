#include "api/coach_rest_support.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/router.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::int64_t max_page_size = 100;

// The query string without page and page_size, to which the new ones are added.
std::string page_link(const http::Request& req, std::int64_t page, std::int64_t page_size) {
  std::string query;
  std::string_view rest = req.query_string;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    std::string_view name = pair.substr(0, pair.find('='));
    if (pair.empty() || name == "page" || name == "page_size") continue;
    query += std::string(pair) + "&";
  }
  query += "page=" + std::to_string(page) + "&page_size=" + std::to_string(page_size);
  return absolute_url(req, req.path + "?" + query);
}

}  // namespace

core::Principal coach_user(CoachDeps& deps, const http::Request& req) {
  return chat_user(*deps.chat, req, req.query("user_id").value_or(""));
}

std::int64_t id_param(const http::Request& req) {
  auto text = req.param("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
    throw http::HttpError(404, "Not found.");
  return id;
}

PageRequest page_request(const http::Request& req) {
  http::QueryParams query(req);
  PageRequest page;
  page.page = query.integer("page", 1, 1, std::numeric_limits<std::int32_t>::max());
  page.page_size = query.integer("page_size", 10, 1, max_page_size);
  query.check();
  return page;
}

http::Response page_response(const http::Request& req, const PageRequest& page, std::int64_t count,
                             json::array results) {
  std::int64_t pages = std::max<std::int64_t>(1, (count + page.page_size - 1) / page.page_size);
  if (page.page > pages) throw http::HttpError(404, "Invalid page.");
  json::value next = nullptr, previous = nullptr;
  if (page.page < pages) next = page_link(req, page.page + 1, page.page_size);
  if (page.page > 1) previous = page_link(req, page.page - 1, page.page_size);
  return http::Response::json(200, json::object{{"count", count},
                                                {"next", std::move(next)},
                                                {"previous", std::move(previous)},
                                                {"results", std::move(results)}});
}

std::string absolute_url(const http::Request& req, std::string_view path) {
  std::string scheme(req.headers.value_or("X-Forwarded-Proto", "http"));
  if (scheme != "https") scheme = "http";
  std::string host(req.headers.value_or("Host", "localhost"));
  return scheme + "://" + host + std::string(path);
}

json::value media_url(const http::Request& req, const std::string& url) {
  if (url.empty()) return nullptr;
  if (url.front() == '/') return json::value(json::string(absolute_url(req, url)));
  return json::value(json::string(url));
}

core::Conversation owned_session(CoachDeps& deps, const core::Principal& user,
                                 std::int64_t row_id) {
  auto session = deps.archive->conversation(row_id);
  if (!session || session->user_id != user.user_id || session->client_type != coach_client_type)
    throw http::HttpError(404, "Not found.");
  return *session;
}

std::string coach_time(std::int64_t unix_seconds) {
  return http::iso8601_from_unix(unix_seconds);
}

http::Response created(const json::object& body) {
  return http::Response::json(201, body);
}

http::Response no_content() {
  http::Response res;
  res.status = 204;
  return res;
}

void add_coach_route(http::Router& router, const std::shared_ptr<CoachDeps>& deps,
                     http::Method method, std::string pattern, CoachHandler handler,
                     http::RouteDoc doc) {
  http::Route route;
  route.method = method;
  route.pattern = std::move(pattern);
  route.access = http::Access::User;
  route.doc = std::move(doc);
  if (route.doc.tag.empty()) route.doc.tag = "AI Coach";
  route.handler = [deps, handler](http::Request& req) { return handler(*deps, req); };
  router.add(std::move(route));
}

http::RouteDoc CoachResourceDocs::operator()(std::string summary, std::string description,
                                             std::vector<int> errors, bool takes_body,
                                             int status) const {
  http::RouteDoc d{std::move(summary), "AI Coach", std::move(description)};
  if (takes_body) d.request_schema = schema;
  d.response_schema = schema;
  d.success_status = status;
  d.error_statuses = std::move(errors);
  return d;
}

}  // namespace companion::api
