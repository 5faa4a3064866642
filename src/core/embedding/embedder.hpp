#pragma once
// The port every embedding provider implements (local, OpenAI-compatible, Ollama).
// Vectors carry the model that made them so that switching provider re-indexes instead of
// silently comparing vectors from different spaces.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace companion::core {

struct EmbeddingModel {
  std::string provider;  // "local", "openai", "ollama"
  std::string model;     // e.g. "local-wordnet-v1", "text-embedding-3-small"
  std::size_t dimension = 0;

  // Identifies the vector space: vectors are comparable only within one.
  std::string space_id() const { return provider + ":" + model + ":" + std::to_string(dimension); }
};

class EmbeddingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Embedder {
 public:
  virtual ~Embedder() = default;
  virtual EmbeddingModel model() const = 0;
  // One L2-normalised vector per text, in order. Blocking: call from the worker pool.
  // Throws EmbeddingError when the provider fails.
  virtual std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) = 0;
};

}  // namespace companion::core
