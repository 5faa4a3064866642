#pragma once
// The one error body every endpoint answers with: the union of the seed documents'
// shapes, {"detail", "code", "status_code", "timestamp"}.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.hpp"

namespace companion::http {

struct FieldError {
  std::vector<std::string> loc;  // e.g. {"body", "password"}
  std::string msg;
  std::string type;  // e.g. "value_error", "missing", "type_error.integer"
};

// The machine-readable code for a status (Chattr's table: NOT_FOUND, RATE_LIMIT_EXCEEDED...).
std::string_view code_for_status(int status);
std::string_view reason_phrase(int status);

Response error_response(int status, std::string_view detail, std::string_view code = {});
// 422 with "detail" as a list of {loc, msg, type}.
Response validation_error(const std::vector<FieldError>& errors);

// Thrown by handlers and helpers that cannot go on; the error-mapping middleware turns it
// into error_response(status, detail, code). Never crosses into core/.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string detail, std::string code = {})
      : std::runtime_error(detail), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

class ValidationError : public std::runtime_error {
 public:
  explicit ValidationError(std::vector<FieldError> errors)
      : std::runtime_error("validation failed"), errors_(std::move(errors)) {}
  const std::vector<FieldError>& errors() const { return errors_; }

 private:
  std::vector<FieldError> errors_;
};

}  // namespace companion::http
