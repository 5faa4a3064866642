#pragma once
// multipart/form-data (RFC 7578) for uploads: the boundary comes from the Content-Type,
// each part carries its form field name, an optional filename and its own Content-Type.
// Parts are views into the request body (no copies of a 50 MiB upload); the parser never
// reads past the buffer and bounds how many parts and how much header text it accepts, so a
// hostile body can only be refused, never make the server work without limit.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace companion::http {

struct MultipartPart {
  std::string name;                         // Content-Disposition name
  std::optional<std::string> filename;      // Content-Disposition filename, when sent
  std::string content_type = "text/plain";  // RFC 7578 §4.4 default
  std::string_view data;                    // into the parsed body
};

struct MultipartLimits {
  std::size_t max_parts = 64;
  std::size_t max_header_bytes = 8192;  // one part's header block
};

class MultipartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The boundary parameter of a multipart/form-data Content-Type (quoted or not); nullopt
// when the type is not multipart/form-data or the boundary is missing or invalid.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Throws MultipartError saying what is malformed.
std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits = {});

// A request's form: the parts of its multipart/form-data body. Throws HttpError 400 (the
// union error body) when the Content-Type is not multipart/form-data or the body is
// malformed. The parts view req.body, which must outlive them.
class MultipartForm {
 public:
  explicit MultipartForm(const Request& req, const MultipartLimits& limits = {});
  const std::vector<MultipartPart>& parts() const { return parts_; }
  // The first part of that name.
  const MultipartPart* find(std::string_view name) const;
  // The text of a field, when present.
  std::optional<std::string> field(std::string_view name) const;

 private:
  std::vector<MultipartPart> parts_;
};

}  // namespace companion::http
