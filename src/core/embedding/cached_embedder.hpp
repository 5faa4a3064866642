#pragma once
// An Embedder decorator that remembers vectors by content, so re-embedding the same memory,
// chunk or repeated query costs a hash lookup instead of a model call (a network round trip
// for remote providers). Misses of one call go to the wrapped embedder as one batch.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/embedding/embedder.hpp"
#include "core/lru_cache.hpp"

namespace companion::core {

class CachedEmbedder final : public Embedder {
 public:
  // `capacity`: vectors kept (a 1024-dimension vector is 4 KiB).
  CachedEmbedder(std::shared_ptr<Embedder> inner, std::size_t capacity);

  EmbeddingModel model() const override { return model_; }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override;

  std::size_t size() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Entry {
    std::string text;  // kept to rule out a hash collision answering the wrong vector
    std::shared_ptr<const std::vector<float>> vector;
  };
  std::uint64_t key_of(const std::string& text) const;
  std::shared_ptr<const std::vector<float>> find(std::uint64_t key, const std::string& text);

  std::shared_ptr<Embedder> inner_;
  EmbeddingModel model_;
  std::uint64_t space_seed_;  // the hash of space_id: vectors of other spaces never match
  mutable std::mutex mutex_;
  LruCache<std::uint64_t, Entry> cache_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace companion::core
