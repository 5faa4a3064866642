#include "http/json_body.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace companion::http {

namespace json = boost::json;

JsonBody::JsonBody(const Request& req, bool allow_empty) {
  auto first = req.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    if (!allow_empty)
      errors_.push_back({{"body"}, "field required", "value_error.missing"});
    return;
  }
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec) {
    errors_.push_back({{"body"}, "Invalid JSON: " + ec.message(), "value_error.jsondecode"});
    return;
  }
  if (!v.is_object()) {
    errors_.push_back({{"body"}, "value is not a valid dict", "type_error.dict"});
    return;
  }
  object_ = std::move(v.as_object());
}

const json::value* JsonBody::raw(std::string_view key) const { return object_.if_contains(key); }

const json::value* JsonBody::present(std::string_view key) const {
  const json::value* v = raw(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

void JsonBody::add_error(std::string_view key, std::string msg, std::string type) {
  errors_.push_back({{"body", std::string(key)}, std::move(msg), std::move(type)});
}

std::string JsonBody::required_string(std::string_view key, std::size_t min_len,
                                      std::size_t max_len) {
  const json::value* v = present(key);
  if (v == nullptr) {
    add_error(key, "field required", "value_error.missing");
    return {};
  }
  if (!v->is_string()) {
    add_error(key, "str type expected", "type_error.str");
    return {};
  }
  std::string s(v->as_string());
  if (s.size() < min_len) {
    add_error(key, "ensure this value has at least " + std::to_string(min_len) + " characters",
              "value_error");
  } else if (s.size() > max_len) {
    add_error(key, "ensure this value has at most " + std::to_string(max_len) + " characters",
              "value_error");
  }
  return s;
}

std::optional<std::string> JsonBody::optional_string(std::string_view key, std::size_t max_len) {
  const json::value* v = present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    add_error(key, "str type expected", "type_error.str");
    return std::nullopt;
  }
  if (v->as_string().size() > max_len) {
    add_error(key, "ensure this value has at most " + std::to_string(max_len) + " characters",
              "value_error");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<double> JsonBody::optional_number(std::string_view key, double min, double max) {
  const json::value* v = present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    add_error(key, "value is not a valid float", "type_error.float");
    return std::nullopt;
  }
  double d = v->to_number<double>();
  if (d < min) {
    add_error(key, "ensure this value is greater than or equal to " + json::serialize(json::value(min)),
              "value_error.number.not_ge");
    return std::nullopt;
  }
  if (d > max) {
    add_error(key, "ensure this value is less than or equal to " + json::serialize(json::value(max)),
              "value_error.number.not_le");
    return std::nullopt;
  }
  return d;
}

std::optional<std::int64_t> JsonBody::optional_int(std::string_view key, std::int64_t min,
                                                   std::int64_t max) {
  const json::value* v = present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_int64() && !v->is_uint64()) {
    add_error(key, "value is not a valid integer", "type_error.integer");
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto i = v->to_number<std::int64_t>(ec);
  if (ec || i < min) {
    add_error(key, "ensure this value is greater than or equal to " + std::to_string(min),
              "value_error.number.not_ge");
    return std::nullopt;
  }
  if (i > max) {
    add_error(key, "ensure this value is less than or equal to " + std::to_string(max),
              "value_error.number.not_le");
    return std::nullopt;
  }
  return i;
}

std::optional<bool> JsonBody::optional_bool(std::string_view key) {
  const json::value* v = present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    add_error(key, "value could not be parsed to a boolean", "type_error.bool");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<json::object> JsonBody::optional_object(std::string_view key) {
  const json::value* v = present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    add_error(key, "value is not a valid dict", "type_error.dict");
    return std::nullopt;
  }
  return v->as_object();
}

std::optional<std::vector<std::string>> JsonBody::optional_string_list(std::string_view key,
                                                                       std::size_t max_items) {
  const json::value* v = present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    add_error(key, "value is not a valid list", "type_error.list");
    return std::nullopt;
  }
  const auto& arr = v->as_array();
  if (arr.size() > max_items) {
    add_error(key, "ensure this value has at most " + std::to_string(max_items) + " items",
              "value_error.list.max_items");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : arr) {
    if (!item.is_string()) {
      add_error(key, "str type expected", "type_error.str");
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

void JsonBody::check() const {
  if (!errors_.empty()) throw ValidationError(errors_);
}

std::optional<std::string> QueryParams::string(std::string_view name, std::size_t max_len) {
  auto v = req_.query(name);
  if (v && v->size() > max_len) {
    errors_.push_back({{"query", std::string(name)},
                       "ensure this value has at most " + std::to_string(max_len) + " characters",
                       "value_error"});
    return std::nullopt;
  }
  return v;
}

std::int64_t QueryParams::integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                                  std::int64_t max) {
  auto v = req_.query(name);
  if (!v) return fallback;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    errors_.push_back({{"query", std::string(name)}, "value is not a valid integer",
                       "type_error.integer"});
    return fallback;
  }
  if (out < min) {
    errors_.push_back({{"query", std::string(name)},
                       "ensure this value is greater than or equal to " + std::to_string(min),
                       "value_error.number.not_ge"});
    return fallback;
  }
  if (out > max) {
    errors_.push_back({{"query", std::string(name)},
                       "ensure this value is less than or equal to " + std::to_string(max),
                       "value_error.number.not_le"});
    return fallback;
  }
  return out;
}

void QueryParams::check() const {
  if (!errors_.empty()) throw ValidationError(errors_);
}

}  // namespace companion::http
