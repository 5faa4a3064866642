#pragma once
// Reads a JSON request body field by field, collecting every problem the way the seed
// documents report them (422, detail: [{loc, msg, type}]), then throws once in check().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "http/error.hpp"
#include "http/request.hpp"

namespace companion::http {

class JsonBody {
 public:
  // An empty body reads as {} when allow_empty; a body that is not a JSON object is an error.
  explicit JsonBody(const Request& req, bool allow_empty = false);

  std::string required_string(std::string_view key, std::size_t min_len = 1,
                              std::size_t max_len = 100000);
  std::optional<std::string> optional_string(std::string_view key, std::size_t max_len = 100000);
  std::optional<double> optional_number(std::string_view key, double min, double max);
  std::optional<std::int64_t> optional_int(std::string_view key, std::int64_t min,
                                           std::int64_t max);
  std::optional<bool> optional_bool(std::string_view key);
  std::optional<boost::json::object> optional_object(std::string_view key);
  std::optional<std::vector<std::string>> optional_string_list(std::string_view key,
                                                               std::size_t max_items = 1000);
  const boost::json::value* raw(std::string_view key) const;
  bool has(std::string_view key) const { return raw(key) != nullptr; }

  void add_error(std::string_view key, std::string msg, std::string type);
  // Throws ValidationError when any field was wrong.
  void check() const;

  const boost::json::object& object() const { return object_; }

 private:
  const boost::json::value* present(std::string_view key) const;
  boost::json::object object_;
  std::vector<FieldError> errors_;
};

// Query-string parameters with the same error reporting (loc: ["query", name]).
class QueryParams {
 public:
  explicit QueryParams(const Request& req) : req_(req) {}
  std::optional<std::string> string(std::string_view name, std::size_t max_len = 10000);
  std::int64_t integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  void check() const;

 private:
  const Request& req_;
  std::vector<FieldError> errors_;
};

}  // namespace companion::http
