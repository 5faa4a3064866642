#include "core/conversation/tools/tool_arguments.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "core/conversation/tool_registry.hpp"

namespace companion::core {

boost::json::object parse_tool_arguments(std::string_view arguments_json) {
  if (arguments_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(arguments_json, ec);
  if (ec || !value.is_object()) throw ToolError("arguments must be a JSON object");
  return std::move(value.as_object());
}

std::optional<std::string> optional_string(const boost::json::object& args, std::string_view key) {
  const auto* value = args.if_contains(key);
  if (!value || value->is_null()) return std::nullopt;
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_number()) return boost::json::serialize(*value);
  return std::nullopt;
}

std::string required_string(const boost::json::object& args, std::string_view key) {
  auto value = optional_string(args, key);
  if (!value || value->empty())
    throw ToolError("missing required argument '" + std::string(key) + "'");
  return *value;
}

std::optional<double> optional_number(const boost::json::object& args, std::string_view key) {
  const auto* value = args.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_double()) return value->as_double();
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  if (value->is_uint64()) return static_cast<double>(value->as_uint64());
  if (value->is_string()) {
    std::string text(value->as_string());
    char* end = nullptr;
    double parsed = std::strtod(text.c_str(), &end);
    if (end != text.c_str()) return parsed;
  }
  return std::nullopt;
}

std::string to_json_text(const boost::json::value& value) {
  return boost::json::serialize(value);
}

}  // namespace companion::core
