#include "providers/embed/local_embedder.hpp"

#include <cmath>

namespace companion::providers::embed {

namespace {

void normalise(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  float scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v) x *= scale;
}

}  // namespace

LocalEmbedder::LocalEmbedder(std::shared_ptr<const core::Lexicon> lexicon,
                             LocalEmbedderOptions options)
    : dimension_(options.dimension == 0 ? 1 : options.dimension),
      features_(lexicon && lexicon->available() ? lexicon : nullptr, options.weights) {
  bool semantic = lexicon && lexicon->available();
  model_.provider = "local";
  model_.model = std::string(semantic ? kModelWithLexicon : kModelWithoutLexicon);
  model_.dimension = dimension_;
}

std::vector<float> LocalEmbedder::embed_one(std::string_view text) const {
  std::vector<float> v(dimension_, 0.0f);
  for (const auto& [key, weight] : features_.extract(text)) {
    // Signed hashing: features that collide in a bucket cancel on average instead of
    // piling up, so collisions add noise but no bias.
    float sign = (key >> 63) != 0 ? -1.0f : 1.0f;
    float value = std::log1p(weight) * frequencies_.idf(key);
    v[key % dimension_] += sign * value;
  }
  normalise(v);
  return v;
}

std::vector<std::vector<float>> LocalEmbedder::embed(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(embed_one(text));
  return out;
}

void LocalEmbedder::observe_documents(const std::vector<std::string>& documents) {
  for (const auto& document : documents) {
    std::vector<std::uint64_t> keys;
    for (const auto& feature : features_.extract(document)) keys.push_back(feature.first);
    frequencies_.add_document(keys);
  }
}

}  // namespace companion::providers::embed
