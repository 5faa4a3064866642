#include "http/headers.hpp"

#include <algorithm>
#include <tuple>

namespace companion::http {

namespace {
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [key, value] : fields_)
    if (iequals(key, name)) return std::string_view(value);
  return std::nullopt;
}

std::string_view Headers::value_or(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

void Headers::set(std::string_view name, std::string_view value) {
  // Usually the name is new: then there is nothing to remove.
  if (has(name)) remove(name);
  add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  // An answer carries a handful of fields; room for them up front spares regrowing.
  if (fields_.capacity() == 0) fields_.reserve(initial_capacity);
  fields_.emplace_back(std::piecewise_construct, std::forward_as_tuple(name),
                       std::forward_as_tuple(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

}  // namespace companion::http
