// http::JsonBody on arbitrary request bodies, with every typed accessor a route may call.
// Whatever the body, the outcome is either values or a 422 body that is itself valid JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json/parse.hpp>

#include "http/error.hpp"
#include "http/json_body.hpp"

using namespace companion::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Request req;
  req.body.assign(reinterpret_cast<const char*>(data), size);
  JsonBody body(req, size % 2 == 0);
  body.required_string("message", 1, 64);
  body.optional_string("user_id", 32);
  body.optional_number("temperature", 0.0, 2.0);
  body.optional_int("limit", 1, 100);
  body.optional_bool("stream");
  body.optional_object("metadata");
  body.optional_string_list("tags", 8);
  try {
    body.check();
  } catch (const ValidationError& e) {
    Response res = validation_error(e.errors());
    boost::system::error_code ec;
    boost::json::parse(res.body, ec);
    if (ec || res.status != 422) std::abort();
  }
  return 0;
}
