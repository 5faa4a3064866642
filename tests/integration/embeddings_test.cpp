// POST /v1/embeddings as an OpenAI SDK uses it: vectors of the model's dimension for one
// text or a list, the base64 form an SDK decodes by default, usage counts, and the errors
// an SDK surfaces for bad requests.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const HeaderList root = {{"Authorization", "Bearer root-test-key-0123456789"}};

std::vector<float> floats_of(const json::value& embedding) {
  std::vector<float> out;
  for (const auto& x : embedding.as_array())
    out.push_back(static_cast<float>(x.to_number<double>()));
  return out;
}

std::string base64_decode(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// Little-endian float32 values, as numpy.frombuffer(..., dtype="<f4") reads them.
std::vector<float> floats_of_base64(const std::string& text) {
  std::string bytes = base64_decode(text);
  std::vector<float> out(bytes.size() / 4);
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b)
      bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i * 4 + b])) << (8 * b);
    std::memcpy(&out[i], &bits, 4);
  }
  return out;
}

double norm(const std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  return std::sqrt(sum);
}

void expect_status(const HttpResult& res, int status) {
  EXPECT_EQ(res.status, status) << res.body;
  EXPECT_EQ(res.json().at("status_code").as_int64(), status) << res.body;
}

}  // namespace

TEST(Embeddings, OneTextAnswersOneUnitVectorInOpenAIShape) {
  TestServer server;
  HttpClient client(server.port());
  auto res =
      client.post_json("/v1/embeddings", json::object{{"input", "I finally bought a kayak"}}, root);
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("object").as_string(), "list");
  EXPECT_EQ(std::string(body.at("model").as_string()).rfind("local-", 0), 0u);
  auto& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].at("object").as_string(), "embedding");
  EXPECT_EQ(data[0].at("index").as_int64(), 0);
  auto v = floats_of(data[0].at("embedding"));
  EXPECT_EQ(v.size(), 1024u);
  EXPECT_NEAR(norm(v), 1.0, 1e-4);
  // "I finally bought a kayak": five words as the server's tokenizer counts them.
  EXPECT_EQ(body.at("usage").at("prompt_tokens").as_int64(), 5);
  EXPECT_EQ(body.at("usage").at("total_tokens").as_int64(), 5);
}

TEST(Embeddings, ListInputKeepsOrderAndIndices) {
  TestServer server;
  HttpClient client(server.port());
  json::array inputs = {"first text", "second text about boats", "first text"};
  auto res = client.post_json("/v1/embeddings", json::object{{"input", inputs}}, root);
  ASSERT_EQ(res.status, 200) << res.body;
  auto data = res.json().at("data").as_array();
  ASSERT_EQ(data.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(data[i].at("index").as_int64(), static_cast<int64_t>(i));
  EXPECT_EQ(floats_of(data[0].at("embedding")), floats_of(data[2].at("embedding")));
  EXPECT_NE(floats_of(data[0].at("embedding")), floats_of(data[1].at("embedding")));
  EXPECT_EQ(res.json().at("usage").at("prompt_tokens").as_int64(), 2 + 4 + 2);
}

TEST(Embeddings, Base64DecodesToTheSameFloats) {
  TestServer server;
  HttpClient client(server.port());
  const std::string text = "User's birthday is June 15th";
  auto plain = client.post_json("/v1/embeddings", json::object{{"input", text}}, root);
  auto packed = client.post_json(
      "/v1/embeddings", json::object{{"input", text}, {"encoding_format", "base64"}}, root);
  ASSERT_EQ(plain.status, 200) << plain.body;
  ASSERT_EQ(packed.status, 200) << packed.body;
  auto expected = floats_of(plain.json().at("data").at(0).at("embedding"));
  auto decoded =
      floats_of_base64(std::string(packed.json().at("data").at(0).at("embedding").as_string()));
  ASSERT_EQ(decoded.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_FLOAT_EQ(decoded[i], expected[i]) << i;
}

TEST(Embeddings, DimensionsShortensAndRenormalises) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.post_json(
      "/v1/embeddings", json::object{{"input", "a red kayak on the lake"}, {"dimensions", 256}},
      root);
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = floats_of(res.json().at("data").at(0).at("embedding"));
  EXPECT_EQ(v.size(), 256u);
  EXPECT_NEAR(norm(v), 1.0, 1e-4);
  expect_status(
      client.post_json("/v1/embeddings", json::object{{"input", "x"}, {"dimensions", 4096}}, root),
      422);
}

TEST(Embeddings, ConfiguredModelNameAndLocalAliasAreAccepted) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.post_json("/v1/embeddings", json::object{{"input", "hi"}}, root);
  ASSERT_EQ(res.status, 200) << res.body;
  std::string model(res.json().at("model").as_string());
  for (const std::string& name : {model, std::string("local")}) {
    auto named =
        client.post_json("/v1/embeddings", json::object{{"input", "hi"}, {"model", name}}, root);
    EXPECT_EQ(named.status, 200) << name << ": " << named.body;
    EXPECT_EQ(named.json().at("model").as_string(), model);
  }
}

TEST(Embeddings, UnknownModelIs400) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.post_json(
      "/v1/embeddings", json::object{{"input", "hi"}, {"model", "text-embedding-3-large"}}, root);
  expect_status(res, 400);
  EXPECT_NE(res.body.find("text-embedding-3-large"), std::string::npos);
}

TEST(Embeddings, MissingEmptyOrTooManyInputsAre422) {
  TestServer server;
  HttpClient client(server.port());
  json::array too_many;
  for (int i = 0; i < 2049; ++i) too_many.emplace_back("text");
  for (const json::value& body :
       {json::value(json::object{}), json::value(json::object{{"input", ""}}),
        json::value(json::object{{"input", json::array{}}}),
        json::value(json::object{{"input", json::array{"ok", ""}}}),
        json::value(json::object{{"input", json::array{1, 2, 3}}}),
        json::value(json::object{{"input", too_many}}),
        json::value(json::object{{"input", "x"}, {"encoding_format", "hex"}})}) {
    auto res = client.post_json("/v1/embeddings", body, root);
    expect_status(res, 422);
    auto detail = res.json().at("detail");
    ASSERT_TRUE(detail.is_array()) << res.body;
    EXPECT_EQ(detail.at(0).at("loc").at(0).as_string(), "body") << res.body;
  }
}

TEST(Embeddings, WithoutCredentialIs401) {
  TestServer server;
  HttpClient client(server.port());
  expect_status(client.post_json("/v1/embeddings", json::object{{"input", "hi"}}), 401);
}
