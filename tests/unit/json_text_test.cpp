#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <boost/json.hpp>

#include "http/json_text.hpp"

using companion::http::to_json_text;
namespace json = boost::json;

TEST(JsonText, DecimalsAreWrittenAsPeopleReadThem) {
  EXPECT_EQ(to_json_text(json::value(13.33)), "13.33");
  EXPECT_EQ(to_json_text(json::value(0.387)), "0.387");
  EXPECT_EQ(to_json_text(json::value(2.0)), "2.0");
  EXPECT_EQ(to_json_text(json::value(-0.5)), "-0.5");
}

TEST(JsonText, NumbersRoundTrip) {
  for (double d : {0.1, 1.0 / 3.0, 1e-9, 6.02214076e23, 123456789.125}) {
    auto parsed = json::parse(to_json_text(json::value(d)));
    EXPECT_EQ(parsed.as_double(), d);
  }
  EXPECT_EQ(to_json_text(json::value(std::int64_t{-42})), "-42");
  EXPECT_EQ(to_json_text(json::value(std::numeric_limits<std::uint64_t>::max())),
            "18446744073709551615");
}

TEST(JsonText, NonFiniteNumbersBecomeNull) {
  EXPECT_EQ(to_json_text(json::value(std::nan(""))), "null");
  EXPECT_EQ(to_json_text(json::value(std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonText, StringsAreEscapedAndUtf8Kept) {
  json::value v = json::string("say \"hi\"\n\\ \x01 caf\xc3\xa9");
  auto text = to_json_text(v);
  EXPECT_EQ(text, "\"say \\\"hi\\\"\\n\\\\ \\u0001 caf\xc3\xa9\"");
  EXPECT_EQ(json::parse(text), v);
}

TEST(JsonText, NestedDocumentsParseBackEqual) {
  json::value v = json::parse(R"({"a":[1,2.5,{"b":null,"c":true}],"d":"x","e":{}})");
  EXPECT_EQ(json::parse(to_json_text(v)), v);
}
