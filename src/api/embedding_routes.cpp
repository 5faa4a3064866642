#include "api/embedding_routes.hpp"

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/embedding/tokenizer.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

// OpenAI's own limit on the inputs of one request.
constexpr std::size_t kMaxInputs = 2048;

constexpr const char* request_schema = R"json({
  "type": "object",
  "required": ["input"],
  "properties": {
    "input": {
      "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
         "maxItems": 2048}
      ],
      "description": "the text, or a list of texts, to embed"
    },
    "model": {"type": "string", "description": "the configured model name or the provider name (\"local\"); default: the configured model"},
    "encoding_format": {"type": "string", "enum": ["float", "base64"], "default": "float"},
    "dimensions": {"type": "integer", "minimum": 1, "description": "shorten each vector to this many dimensions (re-normalised)"
}
, "user" : {
  "type" : "string"
}
}
})json";

constexpr const char* response_schema = R"json({
  "type": "object",
  "required": ["object", "data", "model", "usage"],
  "properties": {
    "object": {"type": "string", "enum": ["list"]},
    "data": {"type": "array", "items": {
      "type": "object",
      "required": ["object", "index", "embedding"],
      "properties": {
        "object": {"type": "string", "enum": ["embedding"]},
        "index": {"type": "integer"},
        "embedding": {"oneOf": [
          {"type": "array", "items": {"type": "number"}},
          {"type": "string", "description": "base64 of little-endian float32 values"}
        ]}
      }
    }},
    "model": {"type": "string"},
    "usage": {"type": "object", "properties": {
      "prompt_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}
    }}
  }
})json";

struct EmbeddingRequest {
  std::vector<std::string> inputs;
  bool base64 = false;
  std::optional<std::size_t> dimensions;
};

std::vector<std::string> read_inputs(http::JsonBody& body) {
  const json::value* input = body.raw("input");
  if (input == nullptr || input->is_null()) {
    body.add_error("input", "field required", "value_error.missing");
    return {};
  }
  if (input->is_string()) {
    if (input->as_string().empty())
      body.add_error("input", "ensure this value has at least 1 characters", "value_error");
    return {std::string(input->as_string())};
  }
  auto list = body.optional_string_list("input", kMaxInputs);
  if (!list) return {};
  if (list->empty())
    body.add_error("input", "ensure this value has at least 1 items", "value_error.list.min_items");
  for (const auto& text : *list) {
    if (text.empty()) {
      body.add_error("input", "ensure every input has at least 1 characters", "value_error");
      break;
    }
  }
  return std::move(*list);
}

// A model the client names must be the one this server embeds with: answering with another
// model's vectors would silently mix vector spaces in the client's index.
void check_model(const std::optional<std::string>& requested, const core::EmbeddingModel& model) {
  if (!requested || *requested == model.model || *requested == model.provider) return;
  throw http::HttpError(400,
                        "The model '" + *requested + "' does not exist; this server embeds with '" +
                            model.model + "' (alias '" + model.provider + "')",
                        "model_not_found");
}

EmbeddingRequest parse_request(const http::Request& req, const core::EmbeddingModel& model) {
  http::JsonBody body(req);
  EmbeddingRequest out;
  out.inputs = read_inputs(body);
  auto requested_model = body.optional_string("model", 256);
  auto format = body.optional_string("encoding_format", 16);
  if (format && *format != "float" && *format != "base64")
    body.add_error("encoding_format",
                   "value is not a valid enumeration member; permitted: 'float', 'base64'",
                   "type_error.enum");
  out.base64 = format && *format == "base64";
  if (auto d = body.optional_int("dimensions", 1, static_cast<std::int64_t>(model.dimension)))
    out.dimensions = static_cast<std::size_t>(*d);
  body.optional_string("user", 256);
  body.check();
  check_model(requested_model, model);
  return out;
}

// Keeps the leading dimensions and re-normalises, as OpenAI does for shortened vectors.
void shorten(std::vector<float>& v, std::size_t dimensions) {
  if (dimensions >= v.size()) return;
  v.resize(dimensions);
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  float scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v) x *= scale;
}

std::string base64_encode(const unsigned char* data, std::size_t size) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t chunk = data[i] << 16;
    if (i + 1 < size) chunk |= data[i + 1] << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += alphabet[(chunk >> 18) & 63];
    out += alphabet[(chunk >> 12) & 63];
    out += i + 1 < size ? alphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? alphabet[chunk & 63] : '=';
  }
  return out;
}

// The float32 values in little-endian byte order, as OpenAI's base64 encoding defines.
std::string float32_base64(const std::vector<float>& v) {
  std::vector<unsigned char> bytes(v.size() * 4);
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v[i], 4);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<unsigned char>(bits >> (8 * b));
  }
  return base64_encode(bytes.data(), bytes.size());
}

json::value encode(const std::vector<float>& v, bool base64) {
  if (base64) return json::value(float32_base64(v));
  json::array values;
  values.reserve(v.size());
  for (float x : v) values.emplace_back(static_cast<double>(x));
  return values;
}

std::size_t count_tokens(const std::vector<std::string>& inputs) {
  std::size_t tokens = 0;
  for (const auto& text : inputs) tokens += core::tokenize_words(text).size();
  return tokens;
}

http::Response create_embeddings(core::Embedder& embedder, http::Request& req) {
  auto model = embedder.model();
  auto request = parse_request(req, model);
  std::vector<std::vector<float>> vectors;
  try {
    vectors = embedder.embed(request.inputs);
  } catch (const core::EmbeddingError& e) {
    throw http::HttpError(502, std::string("embedding provider failed: ") + e.what());
  }
  json::array data;
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    if (request.dimensions) shorten(vectors[i], *request.dimensions);
    data.push_back(json::object{
        {"object", "embedding"}, {"index", i}, {"embedding", encode(vectors[i], request.base64)}});
  }
  auto tokens = count_tokens(request.inputs);
  json::object answer{{"object", "list"},
                      {"data", std::move(data)},
                      {"model", model.model},
                      {"usage", json::object{{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
  return http::Response::json(200, answer);
}

}  // namespace

void register_embedding_routes(http::Router& router, std::shared_ptr<core::Embedder> embedder) {
  http::Route route;
  route.method = http::Method::Post;
  route.pattern = "/v1/embeddings";
  route.access = http::Access::User;
  route.rate_group = "default";
  route.body_limit = http::limits::json_body;
  route.runs_inline = false;  // embedding is CPU work (or a remote call): the worker pool
  route.handler = [embedder](http::Request& req) { return create_embeddings(*embedder, req); };
  route.doc.summary = "Create embeddings (OpenAI-compatible)";
  route.doc.tag = "OpenAI";
  route.doc.description =
      "Embeds one text or a list of texts with the configured embedding provider. Vectors "
      "are L2-normalised; usage counts words as the server's tokenizer splits them.";
  route.doc.request_schema = request_schema;
  route.doc.response_schema = response_schema;
  route.doc.error_statuses = {400, 401, 413, 422, 429, 502};
  router.add(std::move(route));
}

}  // namespace companion::api
