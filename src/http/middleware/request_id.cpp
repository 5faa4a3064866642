#include "http/middleware/request_id.hpp"

#include <atomic>
#include <random>
#include <string>

namespace companion::http {

namespace {

void append_hex(std::string& out, std::uint64_t value, int min_digits) {
  static constexpr char digits[] = "0123456789abcdef";
  char text[16];
  int n = 0;
  do {
    text[15 - n++] = digits[value & 0xf];
    value >>= 4;
  } while (value != 0);
  for (; n < min_digits; ++n) text[15 - n] = '0';
  out.append(text + 16 - n, static_cast<std::size_t>(n));
}

// A number no other call in this process returns. Each thread takes a block of numbers
// from the shared counter at a time, so threads do not contend for it on every request.
std::uint64_t next_serial() {
  constexpr std::uint64_t block = 1024;
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::uint64_t next = 0, end = 0;
  if (next == end) {
    next = counter.fetch_add(block, std::memory_order_relaxed);
    end = next + block;
  }
  return next++;
}

// Unique per process without a lock: a random prefix chosen once and a serial number, as
// 16 and at least 8 hex digits. Formatted by hand: this runs for every request.
std::string next_request_id() {
  static const std::string prefix = [] {
    std::random_device rd;
    std::string hex;
    append_hex(hex, (static_cast<std::uint64_t>(rd()) << 32) ^ rd(), 16);
    return hex;
  }();
  std::string id;
  id.reserve(32);
  id += prefix;
  append_hex(id, next_serial(), 8);
  return id;
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
