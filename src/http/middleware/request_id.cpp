#include "http/middleware/request_id.hpp"

#include <atomic>
#include <random>

#include <fmt/format.h>

namespace companion::http {

namespace {

// Unique per process without a lock: a random prefix chosen once and a counter.
std::string next_request_id() {
  static const std::uint64_t prefix = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{:016x}{:08x}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

}  // namespace

bool RequestId::acceptable(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == ':'))
      return false;
  return true;
}

Response RequestId::handle(Request& req, const Next& next) {
  auto sent = req.headers.get("X-Request-ID");
  req.request_id = (sent && acceptable(*sent)) ? std::string(*sent) : next_request_id();
  Response res = next(req);
  res.headers.set("X-Request-ID", req.request_id);
  return res;
}

}  // namespace companion::http
