#pragma once
// JSON as every endpoint writes it. Boost.JSON's own serializer prints doubles in
// scientific notation (13.33 as 1.333E1); clients read that, people do not, so numbers are
// written in their shortest round-trip decimal form instead.
#include <string>

#include <boost/json/fwd.hpp>

namespace companion::http {

std::string to_json_text(const boost::json::value& value);
void append_json_text(std::string& out, const boost::json::value& value);

}  // namespace companion::http
