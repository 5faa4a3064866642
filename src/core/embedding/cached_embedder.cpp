#include "core/embedding/cached_embedder.hpp"

#include <string_view>
#include <unordered_map>

#include "core/embedding/stable_hash.hpp"

namespace companion::core {

CachedEmbedder::CachedEmbedder(std::shared_ptr<Embedder> inner, std::size_t capacity)
    : inner_(std::move(inner)),
      model_(inner_->model()),
      space_seed_(stable_hash(model_.space_id())),
      cache_(capacity) {}

std::uint64_t CachedEmbedder::key_of(const std::string& text) const {
  return mix64(fnv1a_append(space_seed_, text));
}

std::shared_ptr<const std::vector<float>> CachedEmbedder::find(std::uint64_t key,
                                                               const std::string& text) {
  auto entry = cache_.get(key);
  if (!entry || entry->text != text) return nullptr;
  return entry->vector;
}

std::vector<std::vector<float>> CachedEmbedder::embed(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out(texts.size());
  std::vector<std::uint64_t> keys(texts.size());
  // Distinct missing texts, each with every position that wants it.
  std::vector<std::string> missing;
  std::unordered_map<std::string_view, std::vector<std::size_t>> waiting;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      keys[i] = key_of(texts[i]);
      if (auto hit = find(keys[i], texts[i])) {
        out[i] = *hit;
        ++hits_;
        continue;
      }
      ++misses_;
      auto& positions = waiting[texts[i]];
      if (positions.empty()) missing.push_back(texts[i]);
      positions.push_back(i);
    }
  }
  if (missing.empty()) return out;
  // The lock is not held here: a remote provider may take seconds.
  auto fresh = inner_->embed(missing);
  if (fresh.size() != missing.size())
    throw EmbeddingError("embedding provider answered " + std::to_string(fresh.size()) +
                         " vectors for " + std::to_string(missing.size()) + " texts");
  std::lock_guard lock(mutex_);
  for (std::size_t m = 0; m < missing.size(); ++m) {
    auto vector = std::make_shared<const std::vector<float>>(std::move(fresh[m]));
    const auto& positions = waiting[missing[m]];
    for (std::size_t i : positions) out[i] = *vector;
    cache_.put(keys[positions.front()], Entry{missing[m], vector});
  }
  return out;
}

std::size_t CachedEmbedder::size() const {
  std::lock_guard lock(mutex_);
  return cache_.size();
}

std::uint64_t CachedEmbedder::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::uint64_t CachedEmbedder::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace companion::core
