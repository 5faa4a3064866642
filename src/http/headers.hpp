#pragma once
// Header fields of a request or response: a small ordered list with case-insensitive lookup.
// Requests carry few headers, so a linear scan beats a hash map here.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace companion::http {

bool iequals(std::string_view a, std::string_view b);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  std::optional<std::string_view> get(std::string_view name) const;
  std::string_view value_or(std::string_view name, std::string_view fallback) const;
  bool has(std::string_view name) const { return get(name).has_value(); }

  // Replaces every field of that name with one.
  void set(std::string_view name, std::string_view value);
  // Adds a field even when one of that name exists (Set-Cookie, Vary).
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  void reserve(std::size_t fields) { fields_.reserve(fields); }

  const std::vector<Field>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }

 private:
  static constexpr std::size_t initial_capacity = 4;
  std::vector<Field> fields_;
};

}  // namespace companion::http
