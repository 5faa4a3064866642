#pragma once
// The built-in embedder: no model weights, no network. Text features (text_features.hpp)
// are weighted by log-scaled frequency times IDF and hashed with random signs into a fixed
// number of dimensions, then L2-normalised. The same text and the same corpus statistics
// always give the same vector.
//
// The model name carries the algorithm's version and whether WordNet was loaded: vectors
// made with a different algorithm, or without the lexicon, live in another space and are
// re-indexed rather than compared.
#include <memory>
#include <string_view>

#include "core/embedding/corpus_observer.hpp"
#include "core/embedding/embedder.hpp"
#include "core/embedding/lexicon.hpp"
#include "providers/embed/document_frequencies.hpp"
#include "providers/embed/text_features.hpp"

namespace companion::providers::embed {

struct LocalEmbedderOptions {
  std::size_t dimension = 1024;
  FeatureWeights weights;
};

class LocalEmbedder final : public core::Embedder, public core::CorpusObserver {
 public:
  static constexpr std::string_view kModelWithLexicon = "local-wordnet-v1";
  static constexpr std::string_view kModelWithoutLexicon = "local-hash-v1";

  // `lexicon` may be null or unavailable: the embedder then works on word forms alone.
  explicit LocalEmbedder(std::shared_ptr<const core::Lexicon> lexicon,
                         LocalEmbedderOptions options = {});

  core::EmbeddingModel model() const override { return model_; }
  // A text without any word (empty, only punctuation) gets the zero vector: it has no
  // direction, and cosine similarity 0 to everything is the honest answer.
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override;
  void observe_documents(const std::vector<std::string>& documents) override;

  std::vector<float> embed_one(std::string_view text) const;

 private:
  std::size_t dimension_;
  core::EmbeddingModel model_;
  FeatureExtractor features_;
  DocumentFrequencies frequencies_;
};

}  // namespace companion::providers::embed
