#pragma once
// The status line and header block of an answer, written straight into a reusable buffer.
// The general serializer builds a field container, then walks it as a chain of small
// buffers; for the few fields a typical answer has, formatting them directly is several
// times cheaper and lets head and body leave in one gathered write.
#include <cstdint>
#include <string>

#include "http/headers.hpp"

namespace companion::net {

// Appends the head of an answer to `out`, byte for byte as the general serializer would
// write it: the handler's fields in order, then Connection as keep-alive requires for the
// version, then Content-Length. Returns false, leaving `out` unspecified, when the general
// serializer's merging rules apply: a handler-set Connection, Content-Length or
// Transfer-Encoding field, a field name given twice, or a status outside 100-999.
bool format_response_head(int status, unsigned version, const http::Headers& headers,
                          bool keep_alive, std::uint64_t content_length, std::string& out);

}  // namespace companion::net
