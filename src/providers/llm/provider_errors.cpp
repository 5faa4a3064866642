#include "providers/llm/provider_errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>

namespace companion::providers {

namespace {

using LlmKind = core::LlmError::Kind;
using ClientKind = net::HttpClientError::Kind;

constexpr std::size_t kMessageLimit = 500;

LlmKind kind_of(ClientKind kind) {
  switch (kind) {
    case ClientKind::dns:
    case ClientKind::connect:
    case ClientKind::tls:
    // The policy only refuses a malformed base URL here: the endpoint cannot be reached.
    case ClientKind::refused_by_policy:
      return LlmKind::unavailable;
    case ClientKind::timeout:
      return LlmKind::timeout;
    case ClientKind::cancelled:
      return LlmKind::cancelled;
    case ClientKind::too_large:
    case ClientKind::protocol:
      return LlmKind::bad_response;
  }
  return LlmKind::bad_response;
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() > kMessageLimit) return std::string(text.substr(0, kMessageLimit)) + "…";
  return std::string(text);
}

std::optional<std::string> json_error_message(std::string_view body) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const auto* error = doc.as_object().if_contains("error");
  if (error == nullptr) {
    // Some servers answer {"message": "..."} or {"detail": "..."} at the top level.
    for (const char* key : {"message", "detail"})
      if (const auto* text = doc.as_object().if_contains(key); text && text->is_string())
        return std::string(text->as_string());
    return std::nullopt;
  }
  if (error->is_string()) return std::string(error->as_string());
  if (error->is_object())
    if (const auto* text = error->as_object().if_contains("message"); text && text->is_string())
      return std::string(text->as_string());
  return std::nullopt;
}

}  // namespace

core::LlmError llm_error_from(const net::HttpClientError& error, std::string_view provider,
                              bool before_first_token) {
  return core::LlmError(kind_of(error.kind()), std::string(provider) + ": " + error.what(),
                        before_first_token);
}

core::LlmError llm_error_for_status(int status, const http::Headers& headers, std::string_view body,
                                    std::string_view provider) {
  std::string message = std::string(provider) + " answered HTTP " + std::to_string(status);
  std::string detail = provider_error_message(body);
  if (!detail.empty()) message += ": " + detail;
  LlmKind kind = status == 429   ? LlmKind::rate_limited
                 : status >= 500 ? LlmKind::unavailable
                                 : LlmKind::bad_request;
  core::LlmError error(kind, message);
  if (kind != LlmKind::bad_request)
    if (auto wait = retry_after_of(headers)) error.set_retry_after(*wait);
  return error;
}

std::string provider_error_message(std::string_view body) {
  if (auto message = json_error_message(body)) return trimmed(*message);
  return trimmed(body);
}

std::optional<std::chrono::milliseconds> retry_after_of(const http::Headers& headers) {
  auto value = headers.get("retry-after");
  if (!value) return std::nullopt;
  std::string text = trimmed(*value);
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace companion::providers
