#pragma once
#include <optional>
#include <string_view>

namespace companion::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options };

std::optional<Method> parse_method(std::string_view text);
std::string_view to_string(Method m);

}  // namespace companion::http
