// The built-in embedder as a user of memory search notices it: a question finds the memory
// that answers it even when they share no word ("boat" / "kayak"), inflections and typos
// still match, and the same text always gives the same unit vector.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "providers/embed/local_embedder.hpp"
#include "providers/embed/wordnet_lexicon.hpp"

using companion::providers::embed::LocalEmbedder;
using companion::providers::embed::WordNetLexicon;

namespace {

std::shared_ptr<WordNetLexicon> shared_lexicon() {
  static auto lexicon = std::make_shared<WordNetLexicon>();
  return lexicon;
}

// GTEST_SKIP returns from the test body, so this must stay a macro.
#define REQUIRE_WORDNET()                                                        \
  if (!shared_lexicon()->available()) {                                          \
    GTEST_SKIP() << "WordNet dictionary not installed (wordnet-base): semantic " \
                    "behaviour is not testable here";                            \
  }

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += static_cast<double>(a[i]) * b[i];
  return dot;  // both are unit vectors
}

double norm(const std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  return std::sqrt(sum);
}

class LocalEmbedderTest : public ::testing::Test {
 protected:
  LocalEmbedder embedder{shared_lexicon()};
  double similarity(const std::string& a, const std::string& b) {
    return cosine(embedder.embed_one(a), embedder.embed_one(b));
  }
};

}  // namespace

TEST_F(LocalEmbedderTest, SameTextGivesTheSameVectorEveryTime) {
  auto first = embedder.embed({"I finally bought a kayak"});
  LocalEmbedder other(shared_lexicon());
  auto second = other.embed({"I finally bought a kayak"});
  EXPECT_EQ(first, second);
}

TEST_F(LocalEmbedderTest, VectorsAreUnitLengthWithTheModelsDimension) {
  auto vectors = embedder.embed({"hello", "The quick brown fox jumps over the lazy dog.",
                                 "Ünïcödé wörds, ещё по-русски, and 日本語"});
  ASSERT_EQ(vectors.size(), 3u);
  for (const auto& v : vectors) {
    EXPECT_EQ(v.size(), embedder.model().dimension);
    EXPECT_NEAR(norm(v), 1.0, 1e-5);
  }
}

TEST_F(LocalEmbedderTest, TextWithoutWordsIsTheZeroVector) {
  for (const std::string text : {"", "   ", "?!…"}) {
    auto v = embedder.embed_one(text);
    ASSERT_EQ(v.size(), embedder.model().dimension);
    EXPECT_TRUE(std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; })) << text;
  }
}

TEST_F(LocalEmbedderTest, QuestionOfOnlyStopWordsStillGetsADirection) {
  EXPECT_NEAR(norm(embedder.embed_one("what is it?")), 1.0, 1e-5);
}

TEST_F(LocalEmbedderTest, ModelNameSaysWhetherWordNetIsUsed) {
  LocalEmbedder plain(nullptr);
  EXPECT_EQ(plain.model().model, "local-hash-v1");
  EXPECT_EQ(plain.model().provider, "local");
  if (shared_lexicon()->available()) {
    EXPECT_EQ(embedder.model().model, "local-wordnet-v1");
  }
  EXPECT_NE(plain.model().space_id(), embedder.model().space_id());
}

TEST_F(LocalEmbedderTest, KayakAnswersAQuestionAboutBoats) {
  REQUIRE_WORDNET();
  // No word in common: only WordNet's kayak → canoe → small boat → boat links them.
  const std::string query = "what kind of boat do I have";
  double kayak = similarity(query, "I finally bought a kayak");
  double shoes = similarity(query, "I bought new running shoes");
  double car = similarity(query, "My car is a red Toyota");
  EXPECT_GT(kayak, 1.5 * shoes) << "kayak " << kayak << " shoes " << shoes;
  EXPECT_GT(kayak, 1.5 * car) << "kayak " << kayak << " car " << car;
}

TEST_F(LocalEmbedderTest, BirthdayQuestionFindsTheBirthdayAmongDistractors) {
  const std::string query = "when is my birthday";
  const std::vector<std::string> memories = {
      "User's favorite color is blue",        "User has a golden retriever named Max",
      "User's birthday is June 15th",         "User works as a nurse in Boston",
      "User's wedding anniversary is in May", "User is allergic to peanuts"};
  std::size_t best = 0;
  double best_score = -2;
  for (std::size_t i = 0; i < memories.size(); ++i) {
    double score = similarity(query, memories[i]);
    if (score > best_score) best_score = score, best = i;
  }
  EXPECT_EQ(memories[best], "User's birthday is June 15th");
}

TEST_F(LocalEmbedderTest, InflectionsOfOneVerbAreClose) {
  REQUIRE_WORDNET();
  double inflected = similarity("running", "ran");
  double unrelated = similarity("running", "painted");
  EXPECT_GT(inflected, 0.4);
  EXPECT_GT(inflected, unrelated + 0.3);
  EXPECT_GT(similarity("she runs every morning", "she ran this morning"),
            similarity("she runs every morning", "she cooked this evening"));
}

TEST_F(LocalEmbedderTest, TyposStillMatchTheIntendedWord) {
  // Character n-grams carry this: the misspelt words are in no dictionary.
  auto typo = embedder.embed_one("restuarant recomendations");
  double intended = cosine(typo, embedder.embed_one("restaurant recommendations"));
  for (const std::string other :
       {"car insurance quotes", "restoration of the old cathedral", "rest and relaxation tips"}) {
    EXPECT_GT(intended, 1.5 * cosine(typo, embedder.embed_one(other))) << other;
  }
}

TEST_F(LocalEmbedderTest, RareWordsOutweighCommonOnesOnceDocumentsAreObserved) {
  // Every memory mentions "user"; only one mentions "guitar". After indexing, a query
  // with both words should lean toward the guitar memory more than before.
  const std::string query = "user guitar";
  const std::string guitar = "guitar lessons on saturday";
  const std::string user = "user likes tea";
  double before = similarity(query, guitar) - similarity(query, user);
  std::vector<std::string> corpus;
  for (int i = 0; i < 50; ++i) corpus.push_back("user note number " + std::to_string(i));
  corpus.push_back(guitar);
  embedder.observe_documents(corpus);
  double after = similarity(query, guitar) - similarity(query, user);
  EXPECT_GT(after, before);
}

TEST(WordNetLexicon, LemmatisesInflectedWords) {
  REQUIRE_WORDNET();
  auto& lexicon = *shared_lexicon();
  EXPECT_EQ(lexicon.lemma("ran"), "run");
  EXPECT_EQ(lexicon.lemma("running"), "run");
  EXPECT_EQ(lexicon.lemma("boats"), "boat");
  EXPECT_EQ(lexicon.lemma("bought"), "buy");
  EXPECT_EQ(lexicon.lemma("qwxzzy"), "qwxzzy");
  EXPECT_FALSE(lexicon.lookup("qwxzzy")->known());
}

TEST(WordNetLexicon, HypernymChainOfKayakReachesBoat) {
  REQUIRE_WORDNET();
  auto& lexicon = *shared_lexicon();
  auto levels = lexicon.lookup("kayak")->hypernyms;
  ASSERT_GE(levels.size(), 3u);
  auto contains = [](const std::vector<std::string>& v, const std::string& w) {
    return std::find(v.begin(), v.end(), w) != v.end();
  };
  auto terms = [](const std::vector<companion::core::RelatedTerm>& level) {
    std::vector<std::string> out;
    for (const auto& t : level) out.push_back(t.term);
    return out;
  };
  // The noun: kayak → canoe → small boat (→ boat). The verb "to kayak" is a way "to boat",
  // which puts "boat" at the nearest level already.
  EXPECT_TRUE(contains(terms(levels[0]), "canoe"));
  EXPECT_TRUE(contains(terms(levels[1]), "small boat"));
  EXPECT_TRUE(contains(lexicon.hypernyms("kayak", 3), "boat"));
  EXPECT_TRUE(contains(lexicon.hypernyms("canoe", 2), "boat"));
}

TEST(WordNetLexicon, SynonymsComeFromTheCommonMeanings) {
  REQUIRE_WORDNET();
  auto synonyms = shared_lexicon()->synonyms("buy");
  EXPECT_NE(std::find(synonyms.begin(), synonyms.end(), "purchase"), synonyms.end());
}

TEST(WordNetLexicon, MissingDictionaryMeansNoLexiconNotACrash) {
  companion::providers::embed::WordNetOptions options;
  options.dictionary_dir = "no-such-wordnet-folder";
  options.search_other_folders = false;
  auto lexicon = std::make_shared<WordNetLexicon>(options);
  EXPECT_FALSE(lexicon->available());
  EXPECT_FALSE(lexicon->lookup("kayak")->known());
  EXPECT_EQ(lexicon->lemma("boats"), "boats");
  // The embedder still works, on word forms alone, and says so in its model name.
  LocalEmbedder plain(lexicon);
  EXPECT_EQ(plain.model().model, "local-hash-v1");
  EXPECT_NEAR(norm(plain.embed_one("a kayak")), 1.0, 1e-5);
}
