#pragma once
// Answers a GET for a file under a root folder: path confinement, content type, validators
// (ETag, Last-Modified, 304) and single byte ranges (206/416). The body is a FileSlice that
// the transport streams in chunks, so a large file never sits in memory.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"

namespace companion::http {

// Resolves a client-supplied relative path under `root`. Refuses (nullopt) an empty path,
// NUL bytes, an absolute path, any ".." segment, a path whose real location (symlinks
// followed) lies outside the root, and anything that is not a regular file.
std::optional<std::filesystem::path> resolve_under(const std::filesystem::path& root,
                                                   std::string_view relative);

struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct RangeRequest {
  enum class Kind {
    Whole,          // no usable Range header: answer 200 with the whole file
    Partial,        // answer 206 with `range`
    Unsatisfiable,  // answer 416
  };
  Kind kind = Kind::Whole;
  ByteRange range;
};

// Interprets a Range header against a file of `size` bytes. Forms: "bytes=a-b", "bytes=a-",
// "bytes=-n". A malformed header, another unit or several ranges read as Whole (a server
// may ignore Range; RFC 9110 §14.2).
RangeRequest parse_range(std::string_view header, std::uint64_t size);

// The media type for a file name's extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view filename);

// Dates as HTTP writes them (IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT").
std::string http_date(std::int64_t unix_seconds);
std::optional<std::int64_t> parse_http_date(std::string_view text);

struct StaticFileOptions {
  // Sent with every 200/206/304. Versioned assets (a name or URL that changes with the
  // content) can be cached for long; others should revalidate ("no-cache").
  std::string cache_control = "no-cache";
  std::string content_type;  // empty: by extension
};

// The whole exchange for GET/HEAD of `relative` under `root`: 200, 206, 304, 404 or 416.
Response serve_file(const std::filesystem::path& root, std::string_view relative,
                    const Request& request, const StaticFileOptions& options = {});

}  // namespace companion::http
