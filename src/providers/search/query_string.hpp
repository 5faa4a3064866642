#pragma once
// Query strings for the search services. Everything but the unreserved characters is
// percent-encoded as UTF-8 bytes, '+' and '&' included: the services decode '+' as a space,
// so "C++" must travel as "C%2B%2B".
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace companion::providers {

using QueryParameters = std::vector<std::pair<std::string_view, std::string_view>>;

std::string percent_encode(std::string_view text);

// "a=1&b=two%20words", in the order given.
std::string query_string(const QueryParameters& parameters);

// `base` with the parameters appended after '?' (or '&' when it has a query already).
std::string url_with_query(std::string_view base, const QueryParameters& parameters);

}  // namespace companion::providers
