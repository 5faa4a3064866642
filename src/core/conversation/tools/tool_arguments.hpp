#pragma once
// Reading the JSON arguments a model wrote for a tool: models are sloppy (a number as a
// string, a missing optional field), so reading is forgiving and a missing required field is
// a ToolError the model can read and correct.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace companion::core {

boost::json::object parse_tool_arguments(std::string_view arguments_json);
std::string required_string(const boost::json::object& args, std::string_view key);
std::optional<std::string> optional_string(const boost::json::object& args, std::string_view key);
std::optional<double> optional_number(const boost::json::object& args, std::string_view key);
std::string to_json_text(const boost::json::value& value);

}  // namespace companion::core
