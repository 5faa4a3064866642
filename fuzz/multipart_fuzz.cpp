// http::parse_multipart on arbitrary bodies: the first bytes choose a boundary and a part
// limit, the rest is the body. Whatever the bytes, the outcome is parts that lie inside the
// body or a MultipartError; never a read past the buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/multipart.hpp"

using namespace companion::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.empty()) return 0;
  std::size_t boundary_size = 1 + static_cast<unsigned char>(input[0]) % 16;
  input.remove_prefix(1);
  if (input.size() < boundary_size) return 0;
  std::string boundary(input.substr(0, boundary_size));
  input.remove_prefix(boundary_size);
  std::string body(input);  // its own allocation, so the sanitizer sees overreads
  MultipartLimits limits;
  limits.max_parts = 1 + boundary_size;
  limits.max_header_bytes = 256;
  (void)multipart_boundary(body);
  try {
    auto parts = parse_multipart(body, boundary, limits);
    if (parts.size() > limits.max_parts) std::abort();
    for (const auto& p : parts) {
      if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size())
        std::abort();
      if (p.name.empty() && p.filename && p.filename->size() > body.size()) std::abort();
    }
  } catch (const MultipartError&) {
  }
  return 0;
}
