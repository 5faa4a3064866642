// The embedding cache: repeated texts are not embedded again, answers keep the caller's
// order, and the bound holds.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/embedding/cached_embedder.hpp"

using companion::core::CachedEmbedder;
using companion::core::Embedder;
using companion::core::EmbeddingModel;

namespace {

// Embeds a text as {length, call number}: tells which call produced a vector.
class CountingEmbedder : public Embedder {
 public:
  EmbeddingModel model() const override { return {"fake", "counting", 2}; }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override {
    ++calls;
    texts_seen += texts.size();
    std::vector<std::vector<float>> out;
    for (const auto& t : texts)
      out.push_back({static_cast<float>(t.size()), static_cast<float>(calls)});
    return out;
  }
  int calls = 0;
  std::size_t texts_seen = 0;
};

}  // namespace

TEST(CachedEmbedder, RepeatedTextsAreEmbeddedOnce) {
  auto inner = std::make_shared<CountingEmbedder>();
  CachedEmbedder cached(inner, 100);
  auto first = cached.embed({"a", "bb", "a"});
  EXPECT_EQ(inner->calls, 1);
  EXPECT_EQ(inner->texts_seen, 2u);  // "a" once, even within one batch
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0], first[2]);
  EXPECT_EQ(first[1][0], 2.0f);
  auto second = cached.embed({"bb", "ccc", "a"});
  EXPECT_EQ(inner->calls, 2);
  EXPECT_EQ(inner->texts_seen, 3u);  // only "ccc" was new
  EXPECT_EQ(second[0], first[1]);
  EXPECT_EQ(second[2], first[0]);
  EXPECT_EQ(second[1][0], 3.0f);
  EXPECT_EQ(cached.model().space_id(), inner->model().space_id());
}

TEST(CachedEmbedder, KeepsOnlyTheMostRecentlyUsedVectors) {
  auto inner = std::make_shared<CountingEmbedder>();
  CachedEmbedder cached(inner, 2);
  cached.embed({"one"});
  cached.embed({"two"});
  cached.embed({"one"});    // "one" is now the most recent
  cached.embed({"three"});  // evicts "two"
  EXPECT_EQ(cached.size(), 2u);
  int before = inner->calls;
  cached.embed({"one"});
  EXPECT_EQ(inner->calls, before);
  cached.embed({"two"});
  EXPECT_EQ(inner->calls, before + 1);
}
