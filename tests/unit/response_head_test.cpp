#include <gtest/gtest.h>

#include <sstream>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/write.hpp>

#include "net/response_head.hpp"

namespace bhttp = boost::beast::http;
using companion::http::Headers;
using companion::net::format_response_head;

namespace {

// The head the library's general serializer writes for the same answer.
std::string general_head(int status, unsigned version, const Headers& headers, bool keep_alive,
                         std::uint64_t length) {
  bhttp::response<bhttp::empty_body> msg{static_cast<bhttp::status>(status), version};
  for (const auto& [name, value] : headers.fields()) msg.insert(name, value);
  msg.keep_alive(keep_alive);
  msg.content_length(length);
  std::ostringstream out;
  out << msg.base();
  return out.str();
}

std::string direct_head(int status, unsigned version, const Headers& headers, bool keep_alive,
                        std::uint64_t length) {
  std::string out = "left over from the previous answer";
  EXPECT_TRUE(format_response_head(status, version, headers, keep_alive, length, out));
  return out;
}

}  // namespace

TEST(ResponseHead, MatchesTheGeneralSerializerByteForByte) {
  Headers headers;
  headers.set("Content-Type", "application/json");
  headers.set("X-Request-ID", "0123456789abcdef00000001");
  headers.set("x-custom", "  padded\t");
  headers.set("Empty", "");
  for (int status : {200, 201, 204, 404, 429, 503, 599}) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {true, false}) {
        for (std::uint64_t length : {0ull, 20ull, 1234567ull}) {
          EXPECT_EQ(direct_head(status, version, headers, keep_alive, length),
                    general_head(status, version, headers, keep_alive, length))
              << status << " " << version << " " << keep_alive << " " << length;
        }
      }
    }
  }
}

TEST(ResponseHead, AnswerWithoutFieldsHasOnlyFraming) {
  EXPECT_EQ(direct_head(200, 11, Headers{}, true, 2),
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(direct_head(200, 11, Headers{}, true, 2), general_head(200, 11, Headers{}, true, 2));
}

TEST(ResponseHead, LeavesMergingCasesToTheGeneralSerializer) {
  std::string out;
  for (const char* framing : {"Connection", "content-length", "Transfer-Encoding"}) {
    Headers headers;
    headers.set(framing, "close");
    EXPECT_FALSE(format_response_head(200, 11, headers, true, 0, out)) << framing;
  }
  Headers repeated;
  repeated.add("Vary", "Origin");
  repeated.add("X-Other", "1");
  repeated.add("vary", "Accept");
  EXPECT_FALSE(format_response_head(200, 11, repeated, true, 0, out));
  EXPECT_FALSE(format_response_head(99, 11, Headers{}, true, 0, out));
  EXPECT_FALSE(format_response_head(1000, 11, Headers{}, true, 0, out));
}
