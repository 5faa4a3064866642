// The Cookie header and query-string readers of http::Request on arbitrary bytes.
// Input layout: name, a 0xFF byte, then the header/query text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/json_body.hpp"
#include "http/request.hpp"

using namespace companion::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto split = input.find('\xff');
  std::string_view name = input.substr(0, split);
  std::string_view text = split == std::string_view::npos ? input : input.substr(split + 1);

  Request req;
  req.headers.add("Cookie", text);
  req.query_string = std::string(text);
  auto cookie = req.cookie(name);
  // A cookie value is a slice of the header, so it can never be longer than it.
  if (cookie && cookie->size() > text.size()) std::abort();
  auto query = req.query(name);
  (void)query;
  for (const char* key : {"api_key", "token", "limit"}) {
    (void)req.cookie(key);
    (void)req.query(key);
  }
  QueryParams params(req);
  params.integer("limit", 10, 1, 100);
  params.string("q", 64);
  try {
    params.check();
  } catch (const ValidationError&) {
  }
  return 0;
}
