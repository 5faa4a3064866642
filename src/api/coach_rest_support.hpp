#pragma once
// What AI Coach's DRF-style resources share: whose rows a request sees, the numeric {id}
// of a detail route, page-number pagination ({count, next, previous, results} with
// ?page= and ?page_size= 1–100), absolute URLs, and the session a row must belong to.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/coach_deps.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace companion::api {

// The user whose rows the request sees; the root key names one with ?user_id=.
core::Principal coach_user(CoachDeps& deps, const http::Request& req);

// The {id} path parameter; 404 when it is not a positive integer (no such row).
std::int64_t id_param(const http::Request& req);

struct PageRequest {
  std::int64_t page = 1;
  std::int64_t page_size = 10;
  std::size_t offset() const { return static_cast<std::size_t>((page - 1) * page_size); }
  std::size_t limit() const { return static_cast<std::size_t>(page_size); }
};
// ?page= (from 1) and ?page_size= (1–100, default 10); 422 for anything else.
PageRequest page_request(const http::Request& req);
// {count, next, previous, results}; next and previous are absolute URLs keeping the other
// query parameters, null at the ends. 404 "Invalid page." past the last page.
http::Response page_response(const http::Request& req, const PageRequest& page, std::int64_t count,
                             boost::json::array results);

// "http://host/path" from the Host header (and X-Forwarded-Proto behind a proxy).
std::string absolute_url(const http::Request& req, std::string_view path);
// A media URL as clients get it: a server path made absolute, anything else unchanged.
boost::json::value media_url(const http::Request& req, const std::string& url);

// The user's AI Coach session by its numeric id; 404 when there is none of theirs.
core::Conversation owned_session(CoachDeps& deps, const core::Principal& user, std::int64_t row_id);

// Unix seconds / milliseconds as "2025-10-30T02:11:22Z".
std::string coach_time(std::int64_t unix_seconds);

http::Response created(const boost::json::object& body);
http::Response no_content();

// The route documentation of one AI Coach resource, whose bodies follow `schema`.
struct CoachResourceDocs {
  const char* schema;
  http::RouteDoc operator()(std::string summary, std::string description, std::vector<int> errors,
                            bool takes_body = false, int status = 200) const;
};

// Adds a route of an AI Coach resource: authenticated, its handler given the deps.
using CoachHandler = http::Response (*)(CoachDeps&, http::Request&);
void add_coach_route(http::Router& router, const std::shared_ptr<CoachDeps>& deps,
                     http::Method method, std::string pattern, CoachHandler handler,
                     http::RouteDoc doc);

}  // namespace companion::api
