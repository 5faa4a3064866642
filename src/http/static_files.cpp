#include "http/static_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

#include "http/error.hpp"

namespace companion::http {

namespace fs = std::filesystem;

namespace {

bool has_dot_dot_segment(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

// True when `inner` is `outer` or lies below it, compared component by component (so that
// "/srv/assets-old" is not taken to be inside "/srv/assets").
bool is_within(const fs::path& outer, const fs::path& inner) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string lower_extension(std::string_view filename) {
  auto slash = filename.find_last_of('/');
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string ext(filename.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// A strong validator from what changes when the file does: its size and modification time.
std::string entity_tag(std::uint64_t size, const struct timespec& mtime) {
  char buffer[64];
  auto ns = static_cast<unsigned long long>(mtime.tv_sec) * 1000000000ull +
            static_cast<unsigned long long>(mtime.tv_nsec);
  std::snprintf(buffer, sizeof buffer, "\"%llx-%llx\"", static_cast<unsigned long long>(size), ns);
  return buffer;
}

// If-None-Match: "*" or a comma-separated list; weak comparison (W/ prefixes ignored).
bool etag_matches(std::string_view header, std::string_view etag) {
  header = trim(header);
  if (header == "*") return true;
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    auto tag = trim(header.substr(start, end - start));
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    start = end + 1;
  }
  return false;
}

bool not_modified(const Request& request, const std::string& etag, std::int64_t mtime) {
  if (auto inm = request.headers.get("If-None-Match")) return etag_matches(*inm, etag);
  if (auto ims = request.headers.get("If-Modified-Since"))
    if (auto since = parse_http_date(*ims)) return mtime <= *since;
  return false;
}

// If-Range: the range applies only while the client's copy is still current.
bool range_still_applies(const Request& request, const std::string& etag, std::int64_t mtime) {
  auto if_range = request.headers.get("If-Range");
  if (!if_range) return true;
  auto value = trim(*if_range);
  if (!value.empty() && (value.front() == '"' || value.substr(0, 2) == "W/"))
    return value == etag;  // strong comparison only
  auto date = parse_http_date(value);
  return date && mtime <= *date;
}

}  // namespace

std::optional<fs::path> resolve_under(const fs::path& root, std::string_view relative) {
  if (relative.empty() || relative.find('\0') != std::string_view::npos) return std::nullopt;
  if (relative.front() == '/' || relative.front() == '\\') return std::nullopt;
  if (has_dot_dot_segment(relative)) return std::nullopt;
  std::error_code ec;
  fs::path real_root = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  fs::path candidate = real_root / fs::path(std::string(relative));
  // canonical() follows every symlink, so a link that points outside the root is caught here.
  fs::path real = fs::canonical(candidate, ec);
  if (ec || !is_within(real_root, real) || real == real_root) return std::nullopt;
  if (!fs::is_regular_file(real, ec)) return std::nullopt;
  return real;
}

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
  RangeRequest whole;
  header = trim(header);
  constexpr std::string_view unit = "bytes=";
  if (header.size() < unit.size()) return whole;
  for (std::size_t i = 0; i < unit.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != unit[i]) return whole;
  auto spec = trim(header.substr(unit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;  // multipart ranges: not served
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  auto first_text = trim(spec.substr(0, dash));
  auto last_text = trim(spec.substr(dash + 1));
  RangeRequest unsatisfiable{RangeRequest::Kind::Unsatisfiable, {}};

  if (first_text.empty()) {  // suffix: the last n bytes
    auto n = parse_number(last_text);
    if (!n) return whole;
    if (*n == 0 || size == 0) return unsatisfiable;
    std::uint64_t length = std::min(*n, size);
    return {RangeRequest::Kind::Partial, {size - length, length}};
  }
  auto first = parse_number(first_text);
  if (!first) return whole;
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    auto parsed = parse_number(last_text);
    if (!parsed || *parsed < *first) return whole;
    last = std::min(*parsed, last);
  }
  if (*first >= size) return unsatisfiable;
  return {RangeRequest::Kind::Partial, {*first, last - *first + 1}};
}

std::string_view content_type_for(std::string_view filename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 34> types{{
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"md", "text/markdown; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"svg", "image/svg+xml"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"wasm", "application/wasm"},
      {"mp3", "audio/mpeg"},
      {"wav", "audio/wav"},
      {"ogg", "audio/ogg"},
      {"oga", "audio/ogg"},
      {"opus", "audio/ogg"},
      {"flac", "audio/flac"},
      {"m4a", "audio/mp4"},
      {"aac", "audio/aac"},
      {"weba", "audio/webm"},
      {"webm", "video/webm"},
      {"mp4", "video/mp4"},
  }};
  auto ext = lower_extension(filename);
  for (const auto& [e, type] : types)
    if (e == ext) return type;
  return "application/octet-stream";
}

std::string http_date(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  std::string s(trim(text));
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

Response serve_file(const fs::path& root, std::string_view relative, const Request& request,
                    const StaticFileOptions& options) {
  auto path = resolve_under(root, relative);
  struct stat info {};
  if (!path || ::stat(path->c_str(), &info) != 0) return error_response(404, "Not Found");

  const auto size = static_cast<std::uint64_t>(info.st_size);
  const std::int64_t mtime = info.st_mtim.tv_sec;
  const std::string etag = entity_tag(size, info.st_mtim);

  Response r;
  r.headers.set("ETag", etag);
  r.headers.set("Last-Modified", http_date(mtime));
  r.headers.set("Cache-Control", options.cache_control);
  r.headers.set("Accept-Ranges", "bytes");
  if (not_modified(request, etag, mtime)) {
    r.status = 304;
    return r;
  }

  RangeRequest range;
  if (auto header = request.headers.get("Range");
      header && range_still_applies(request, etag, mtime))
    range = parse_range(*header, size);
  if (range.kind == RangeRequest::Kind::Unsatisfiable) {
    Response refused = error_response(416, "Range Not Satisfiable");
    refused.headers.set("Content-Range", "bytes */" + std::to_string(size));
    refused.headers.set("Accept-Ranges", "bytes");
    return refused;
  }

  r.headers.set("Content-Type", options.content_type.empty()
                                    ? content_type_for(path->filename().string())
                                    : std::string_view(options.content_type));
  ByteRange slice{0, size};
  r.status = 200;
  if (range.kind == RangeRequest::Kind::Partial) {
    slice = range.range;
    r.status = 206;
    r.headers.set("Content-Range", "bytes " + std::to_string(slice.offset) + "-" +
                                       std::to_string(slice.offset + slice.length - 1) + "/" +
                                       std::to_string(size));
  }
  r.file = FileSlice{path->string(), slice.offset, slice.length};
  return r;
}

}  // namespace companion::http
