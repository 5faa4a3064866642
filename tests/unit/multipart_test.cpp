// multipart/form-data parsing: fields and files, quoted boundaries, binary content that
// holds CRLFs and boundary-like bytes, and the malformed bodies that must be refused.
#include <gtest/gtest.h>

#include <string>

#include "http/error.hpp"
#include "http/multipart.hpp"

using namespace companion::http;
using namespace std::string_literals;

namespace {

std::string part(const std::string& boundary, const std::string& headers, const std::string& data) {
  return "--" + boundary + "\r\n" + headers + "\r\n\r\n" + data + "\r\n";
}

}  // namespace

TEST(Multipart, ReadsSeveralPartsWithNamesFilenamesAndTypes) {
  std::string b = "XyZ123";
  std::string body =
      part(b, "Content-Disposition: form-data; name=\"user_id\"", "alice") +
      part(b,
           "Content-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
           "Content-Type: text/plain",
           "hello world") +
      part(b, "Content-Disposition: form-data; name=\"collection_name\"", "work") + "--" + b +
      "--\r\n";
  auto parts = parse_multipart(body, b);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "user_id");
  EXPECT_FALSE(parts[0].filename.has_value());
  EXPECT_EQ(parts[0].data, "alice");
  EXPECT_EQ(parts[1].name, "file");
  EXPECT_EQ(parts[1].filename.value_or(""), "notes.txt");
  EXPECT_EQ(parts[1].content_type, "text/plain");
  EXPECT_EQ(parts[1].data, "hello world");
  EXPECT_EQ(parts[2].data, "work");
}

TEST(Multipart, BoundaryComesFromContentTypeQuotedOrNot) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").value_or(""), "abc");
  EXPECT_EQ(
      multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"").value_or(""),
      "a b:c");
  EXPECT_FALSE(multipart_boundary("application/json").has_value());
  EXPECT_FALSE(multipart_boundary("multipart/form-data").has_value());
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));

  std::string b = "a b:c";
  std::string body = "preamble to ignore\r\n" +
                     part(b, "Content-Disposition: form-data; name=\"x\"", "1") + "--" + b + "--";
  auto parts = parse_multipart(body, b);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "1");
}

TEST(Multipart, BinaryContentWithCrlfsAndNulsIsKeptExactly) {
  std::string b = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
  std::string binary = "\x00\x01\r\n\r\n--not-the-boundary\r\n-"s + std::string("\xff\xfe\r", 3) +
                       "\r\n--" + b.substr(0, 10) + "\x00"s;
  std::string body =
      part(b, "Content-Disposition: form-data; name=\"file\"; filename=\"a\\\"b.bin\"", binary) +
      "--" + b + "--\r\n";
  auto parts = parse_multipart(body, b);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename.value_or(""), "a\"b.bin");
  EXPECT_EQ(std::string(parts[0].data), binary);
  EXPECT_EQ(parts[0].content_type, "text/plain");  // RFC 7578 default
}

TEST(Multipart, MissingFinalBoundaryIsAnError) {
  std::string b = "zz";
  std::string body = "--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ntruncated data";
  EXPECT_THROW(parse_multipart(body, b), MultipartError);
  EXPECT_THROW(parse_multipart("no boundary at all", b), MultipartError);
  EXPECT_THROW(parse_multipart("--zz\r\nContent-Disposition: form-data; name=\"a\"", b),
               MultipartError);
}

TEST(Multipart, PartsWithoutDispositionOrNameAreErrors) {
  std::string b = "zz";
  EXPECT_THROW(parse_multipart(part(b, "Content-Type: text/plain", "x") + "--zz--", b),
               MultipartError);
  EXPECT_THROW(parse_multipart(part(b, "Content-Disposition: form-data", "x") + "--zz--", b),
               MultipartError);
  EXPECT_THROW(
      parse_multipart(part(b, "Content-Disposition: form-data; name=\"x", "x") + "--zz--", b),
      MultipartError);
}

TEST(Multipart, PartCountIsBounded) {
  std::string b = "zz";
  std::string body;
  for (int i = 0; i < 5; ++i)
    body += part(b, "Content-Disposition: form-data; name=\"f" + std::to_string(i) + "\"", "v");
  body += "--zz--";
  MultipartLimits limits;
  limits.max_parts = 4;
  EXPECT_THROW(parse_multipart(body, b, limits), MultipartError);
  limits.max_parts = 5;
  EXPECT_EQ(parse_multipart(body, b, limits).size(), 5u);
}

TEST(Multipart, RequestFormAnswers400ForMalformedBodies) {
  Request req;
  req.headers.set("Content-Type", "application/json");
  req.body = "{}";
  try {
    MultipartForm form(req);
    FAIL() << "a JSON body is not a form";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
  }
  req.headers.set("Content-Type", "multipart/form-data; boundary=zz");
  req.body = "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
  try {
    MultipartForm form(req);
    FAIL() << "a truncated body is malformed";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("closing boundary"), std::string::npos);
  }
  req.body = part("zz", "Content-Disposition: form-data; name=\"a\"", "1") + "--zz--";
  MultipartForm form(req);
  EXPECT_EQ(form.field("a").value_or(""), "1");
  EXPECT_EQ(form.find("b"), nullptr);
}
