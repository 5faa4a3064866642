#include "http/middleware/authentication.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "http/error.hpp"
#include "http/route.hpp"

namespace companion::http {

namespace {

constexpr std::string_view open_mode_default_user = "default_user";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Bearer abc" / "Api-Key abc" (scheme names are case-insensitive per RFC 9110).
std::optional<core::PresentedCredential> from_authorization(std::string_view value) {
  value = trim(value);
  auto space = value.find(' ');
  std::string_view scheme = value.substr(0, space);
  std::string_view secret =
      space == std::string_view::npos ? std::string_view{} : trim(value.substr(space + 1));
  core::PresentedCredential c;
  c.source = "authorization";
  c.secret = std::string(secret);
  if (iequals(scheme, "Bearer")) {
    c.scheme = core::CredentialScheme::Bearer;
  } else if (iequals(scheme, "Api-Key") || iequals(scheme, "ApiKey") || iequals(scheme, "Token")) {
    c.scheme = core::CredentialScheme::ApiKey;
  } else {
    // An unknown scheme is still a credential: it is reported as malformed, not missing.
    c.scheme = core::CredentialScheme::ApiKey;
    c.secret.clear();
  }
  return c;
}

// In open mode the acting user comes from ?user_id= or the JSON body's "user_id".
std::string open_mode_username(const Request& req) {
  if (auto q = req.query("user_id"); q && !q->empty()) return *q;
  if (!req.body.empty()) {
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (!ec && v.is_object())
      if (auto* u = v.as_object().if_contains("user_id");
          u && u->is_string() && !u->as_string().empty())
        return std::string(u->as_string());
  }
  return std::string(open_mode_default_user);
}

Response refuse(const core::AuthFailure& failure) {
  if (failure.is_forbidden()) return error_response(403, failure.message());
  auto res = error_response(401, failure.message());
  res.headers.set("WWW-Authenticate", "Bearer");
  return res;
}

}  // namespace

std::optional<core::PresentedCredential> Authentication::find_credential(const Request& req) {
  if (auto auth = req.headers.get("Authorization")) return from_authorization(*auth);
  if (auto key = req.headers.get("X-API-Key"))
    return core::PresentedCredential{core::CredentialScheme::ApiKey, std::string(trim(*key)),
                                     "x-api-key"};
  if (auto key = req.query("api_key"))
    return core::PresentedCredential{core::CredentialScheme::ApiKey, *key, "query"};
  // ?token= carries a JWT (AI Friend's WebSocket) or a key (YouWorker): read as Bearer.
  if (auto token = req.query("token"))
    return core::PresentedCredential{core::CredentialScheme::Bearer, *token, "query"};
  if (auto key = req.cookie("api_key"))
    return core::PresentedCredential{core::CredentialScheme::ApiKey, *key, "cookie"};
  return std::nullopt;
}

core::RequestOrigin Authentication::origin_of(const Request& req) {
  core::RequestOrigin o;
  o.origin = std::string(req.headers.value_or("Origin", ""));
  o.referer = std::string(req.headers.value_or("Referer", ""));
  o.host = std::string(req.headers.value_or("Host", ""));
  o.client_ip = req.remote_ip;
  return o;
}

core::AuthOutcome Authentication::authenticate(const Request& req) {
  auto credential = find_credential(req);
  if (!credential) return core::AuthFailure{core::AuthFailureReason::Missing, {}};
  if (credential->secret.empty()) return core::AuthFailure{core::AuthFailureReason::Malformed, {}};
  return authenticator_->authenticate(*credential, origin_of(req));
}

Response Authentication::handle(Request& req, const Next& next) {
  // Unrouted requests (404/405) need no identity, and public routes answered on the network
  // thread (health probes, metrics, docs) must never wait for a credential lookup.
  if (req.route == nullptr) return next(req);
  if (req.route->runs_inline && req.route->access == Access::Public) return next(req);
  std::optional<Response> refusal;
  try {
    refusal = attach_principal(req);
  } catch (const std::exception&) {
    // This unit sits before error mapping, so it answers storage failures itself.
    return error_response(503, "Authentication is temporarily unavailable");
  }
  if (refusal) return std::move(*refusal);
  return next(req);
}

std::optional<Response> Authentication::attach_principal(Request& req) {
  const Access access = req.route->access;

  core::AuthOutcome outcome = authenticate(req);
  if (auto* principal = std::get_if<core::Principal>(&outcome)) {
    req.principal = std::move(*principal);
  } else {
    const auto& failure = std::get<core::AuthFailure>(outcome);
    bool missing = failure.reason == core::AuthFailureReason::Missing;
    if (missing && open_mode_ && access != Access::Admin) {
      req.principal = authenticator_->open_principal(open_mode_username(req));
      if (!req.principal && access != Access::Public) return error_response(400, "Invalid user_id");
    } else if (access != Access::Public) {
      return refuse(failure);
    }
  }

  if (access == Access::Admin && !req.principal->is_admin())
    return error_response(403, "Admin privileges required");
  if (req.principal) authenticator_->note_activity(*req.principal);
  return std::nullopt;
}

}  // namespace companion::http
