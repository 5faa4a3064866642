// The offline emotion analyzer as a user of the companion notices it: what it reads in a
// message (negation, intensifiers, contrast, emoji, elongation, shouting), the documented
// shapes it fills (distribution, sentiment, subjectivity, intensity, AI Coach's items), and
// how well it labels a hand-written set of chat messages.
#include "core/affect/emotion.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emotion_labelled_set.hpp"
#include "providers/embed/wordnet_lexicon.hpp"

namespace companion::core {
namespace {

using testing::EvalHalf;

const EmotionAnalyzer& analyzer() {
  static const EmotionAnalyzer instance;  // no WordNet: the analyzer must stand on its own
  return instance;
}

std::string primary(std::string_view text) {
  return analyzer().analyze(text).primary;
}

int intensity_rank(const EmotionAnalysis& analysis) {
  return analysis.intensity == "high" ? 3 : analysis.intensity == "medium" ? 2 : 1;
}

std::string capitalised(std::string label) {
  if (!label.empty())
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

double share(const EmotionAnalysis& analysis, const std::string& label) {
  return analysis.distribution.at(label);
}

TEST(EmotionAnalyzer, ReadsPlainFeelings) {
  EXPECT_EQ(primary("I'm feeling great today!"), "joy");
  EXPECT_EQ(primary("I feel so lonely lately"), "sadness");
  EXPECT_EQ(primary("I'm furious with my landlord"), "anger");
  EXPECT_EQ(primary("I'm scared of the dark"), "fear");
  EXPECT_EQ(primary("whoa, I did not see that coming"), "surprise");
  EXPECT_EQ(primary("ew, that's disgusting"), "disgust");
  EXPECT_EQ(primary("I love you"), "love");
  EXPECT_EQ(primary("I'm so excited about this project!"), "excitement");
  EXPECT_EQ(primary("The train leaves at five."), "neutral");
}

TEST(EmotionAnalyzer, NegationTurnsJoyIntoSadness) {
  const auto analysis = analyzer().analyze("I'm not happy at all");
  EXPECT_NE(analysis.primary, "joy");
  EXPECT_EQ(analysis.primary, "sadness");
  EXPECT_LT(analysis.sentiment, 0);
  EXPECT_EQ(primary("I don't love him anymore"), "sadness");
  EXPECT_EQ(primary("I'm happy"), "joy");  // the same words without the negation
}

TEST(EmotionAnalyzer, NegatedUnpleasantWordsReadAsMildlyPositive) {
  const auto not_bad = analyzer().analyze("not bad");
  EXPECT_GT(not_bad.sentiment, 0);
  EXPECT_NE(not_bad.primary, "sadness");
  EXPECT_EQ(not_bad.intensity, "low");
  EXPECT_NE(primary("I'm not angry"), "anger");
  EXPECT_GT(analyzer().analyze("I'm not scared").sentiment, 0);
}

TEST(EmotionAnalyzer, NeverWithAnIntensifierKeepsTheFeeling) {
  EXPECT_EQ(primary("I've never been so scared in my life"), "fear");
  EXPECT_EQ(primary("never been happier"), "joy");
  EXPECT_EQ(primary("I couldn't be happier"), "joy");
}

TEST(EmotionAnalyzer, NegationStopsAtTheClauseBoundary) {
  EXPECT_EQ(primary("no, I'm really happy"), "joy");
  EXPECT_EQ(primary("It wasn't easy, but I'm proud of it"), "joy");
}

TEST(EmotionAnalyzer, IntensifiersRaiseAndDowntonersLowerIntensity) {
  const auto plain = analyzer().analyze("I'm happy");
  const auto strong = analyzer().analyze("I'm extremely happy");
  const auto faint = analyzer().analyze("I'm slightly happy");
  EXPECT_EQ(strong.primary, "joy");
  EXPECT_EQ(faint.primary, "joy");
  EXPECT_GT(strong.confidence, plain.confidence);
  EXPECT_LT(faint.confidence, plain.confidence);
  EXPECT_GT(intensity_rank(strong), intensity_rank(faint));
  EXPECT_GT(intensity_rank(analyzer().analyze("so so nervous")),
            intensity_rank(analyzer().analyze("a bit nervous")));
}

TEST(EmotionAnalyzer, TheClauseAfterButWeighsMore) {
  EXPECT_EQ(primary("I was scared but now I'm so relieved and happy"), "joy");
  EXPECT_EQ(primary("I was happy, but now I'm scared"), "fear");
  EXPECT_EQ(primary("The food was great; however the waiter was incredibly rude"), "anger");
}

TEST(EmotionAnalyzer, EmojiAndEmoticonsAloneCarryTheirFeeling) {
  EXPECT_EQ(primary("😢"), "sadness");
  EXPECT_EQ(primary("😂"), "joy");
  EXPECT_EQ(primary("😡"), "anger");
  EXPECT_EQ(primary("😱"), "fear");
  EXPECT_EQ(primary("🤢"), "disgust");
  EXPECT_EQ(primary("😍"), "love");
  EXPECT_EQ(primary("❤️"), "love");  // with the emoji presentation selector
  EXPECT_EQ(primary("🎉"), "excitement");
  EXPECT_EQ(primary("😮"), "surprise");
  EXPECT_EQ(primary(":("), "sadness");
  EXPECT_EQ(primary("thanks:)"), "joy");
  EXPECT_EQ(primary("<3"), "love");
  EXPECT_EQ(primary("🙌🏽"), "joy");  // a skin tone changes nothing
}

TEST(EmotionAnalyzer, EmoticonsNeedToStandAlone) {
  EXPECT_EQ(primary("see https://example.com/a:/b for details"), "neutral");
  EXPECT_EQ(primary("The xDrive model is available in grey"), "neutral");
}

TEST(EmotionAnalyzer, ElongatedWordsAreReadAndStronger) {
  const auto elongated = analyzer().analyze("happyyyy");
  EXPECT_EQ(elongated.primary, "joy");
  EXPECT_GT(elongated.confidence, analyzer().analyze("happy").confidence);
  EXPECT_EQ(primary("sooo happyyyy"), "joy");
  EXPECT_EQ(intensity_rank(analyzer().analyze("sooo happyyyy")), 3);
  EXPECT_EQ(primary("LET'S GOOOO"), "excitement");
  EXPECT_EQ(primary("goood morning"), "neutral");  // "goood" is "good", part of a greeting
}

TEST(EmotionAnalyzer, ExclamationsAndCapitalsRaiseIntensity) {
  const auto calm = analyzer().analyze("I am angry");
  const auto shouted = analyzer().analyze("I am ANGRY!!!");
  EXPECT_EQ(shouted.primary, "anger");
  EXPECT_GT(shouted.confidence, calm.confidence);
  EXPECT_GT(intensity_rank(shouted), intensity_rank(calm));
}

TEST(EmotionAnalyzer, InterrobangsAndEchoQuestionsAreSurprise) {
  EXPECT_EQ(primary("You did what?!"), "surprise");
  EXPECT_EQ(primary("they got married??"), "surprise");
  EXPECT_EQ(primary("Really?"), "surprise");
  EXPECT_EQ(primary("Can you send me the file?"), "neutral");
}

TEST(EmotionAnalyzer, ReadsCommonPhrases) {
  EXPECT_EQ(primary("can't wait for friday"), "excitement");  // not a negation
  EXPECT_EQ(primary("cant wait"), "excitement");
  EXPECT_EQ(primary("I'm fed up with this"), "anger");
  EXPECT_EQ(primary("miss you"), "love");
  EXPECT_EQ(primary("I'm scared of spiders"), "fear");
  EXPECT_EQ(primary("I'm feeling kinda blue"), "sadness");
  EXPECT_EQ(primary("Tell me a fun fact"), "neutral");
}

TEST(EmotionAnalyzer, ReadsInflectedWordsWithoutADictionary) {
  EXPECT_EQ(primary("she cried all night"), "sadness");
  EXPECT_EQ(primary("the happiest day"), "joy");
  EXPECT_EQ(primary("that was terrifying"), "fear");
  EXPECT_EQ(primary("he keeps annoying me"), "anger");
}

TEST(EmotionAnalyzer, DistributionCoversEveryLabelAndSumsToOne) {
  for (const std::string_view text :
       {"I'm so happy but a little nervous", "", "The train leaves at five.", "😢😢", "ok",
        "I HATE THIS STUPID PRINTER", "\xff\xfe broken bytes but happy"}) {
    const auto analysis = analyzer().analyze(text);
    ASSERT_EQ(analysis.distribution.size(), emotion_labels.size()) << text;
    double sum = 0;
    for (const auto label : emotion_labels) {
      const double value = share(analysis, std::string(label));
      EXPECT_GE(value, 0) << text;
      EXPECT_LE(value, 1) << text;
      sum += value;
    }
    EXPECT_NEAR(sum, 1.0, 1e-9) << text;
    EXPECT_DOUBLE_EQ(analysis.confidence, share(analysis, analysis.primary)) << text;
    EXPECT_GE(analysis.sentiment, -1);
    EXPECT_LE(analysis.sentiment, 1);
    EXPECT_GE(analysis.subjectivity, 0);
    EXPECT_LE(analysis.subjectivity, 1);
  }
}

TEST(EmotionAnalyzer, SentimentFollowsValence) {
  EXPECT_GT(analyzer().analyze("What a wonderful day, thank you!").sentiment, 0.3);
  EXPECT_LT(analyzer().analyze("This is awful and I hate it").sentiment, -0.3);
  EXPECT_DOUBLE_EQ(analyzer().analyze("I bought bread and milk").sentiment, 0);
  EXPECT_GT(analyzer().analyze("I love it so much").sentiment,
            analyzer().analyze("I like it").sentiment);
}

TEST(EmotionAnalyzer, SubjectivityIsTheShareOfFeelingWords) {
  EXPECT_DOUBLE_EQ(analyzer().analyze("I bought bread and milk today").subjectivity, 0);
  EXPECT_GT(analyzer().analyze("so sad").subjectivity,
            analyzer().analyze("I was a little sad when the train left the station").subjectivity);
}

TEST(EmotionAnalyzer, NeutralTextHasNoItems) {
  const auto analysis = analyzer().analyze("The report is due on Friday.");
  EXPECT_EQ(analysis.primary, "neutral");
  EXPECT_EQ(analysis.intensity, "low");
  EXPECT_TRUE(analyzer().items_of(analysis).empty());
}

TEST(EmotionAnalyzer, ItemsAreCapitalisedStrongestFirst) {
  const auto analysis = analyzer().analyze("I'm so happy today, but also a little nervous");
  const auto items = analyzer().items_of(analysis);
  ASSERT_GE(items.size(), 2u);
  EXPECT_EQ(items.front().name, "Joy");
  std::set<std::string> names;
  for (std::size_t i = 0; i < items.size(); ++i) {
    names.insert(items[i].name);
    EXPECT_GE(items[i].intensity, 1);
    EXPECT_LE(items[i].intensity, 3);
    if (i > 0) {
      EXPECT_LE(items[i].intensity, items[i - 1].intensity);
    }
  }
  EXPECT_TRUE(names.count("Fear"));
  EXPECT_EQ(analyzer().items_of(analyzer().analyze("SO SO HAPPY!!!")).front().intensity, 3);
  EXPECT_EQ(analyzer().items_of(analyzer().analyze("a bit sad")).front().intensity, 1);
}

TEST(EmotionAnalyzer, AnalysesEachSentenceOnItsOwn) {
  const auto sentences = analyzer().analyze_sentences(
      "I'm so happy you came today! But I'm scared of tomorrow's exam. That cafeteria food "
      "was disgusting.");
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(sentences[0].sentence, "I'm so happy you came today!");
  EXPECT_EQ(sentences[0].analysis.primary, "joy");
  EXPECT_EQ(sentences[1].analysis.primary, "fear");
  EXPECT_EQ(sentences[2].analysis.primary, "disgust");
  for (const auto& sentence : sentences) {
    ASSERT_FALSE(sentence.items.empty());
    EXPECT_EQ(sentence.items.front().name, capitalised(sentence.analysis.primary));
  }
  EXPECT_TRUE(analyzer().analyze_sentences("").empty());
}

TEST(EmotionAnalyzer, GivesTheSameAnswerOnEveryThread) {
  const auto set = testing::emotion_labelled_set();
  std::vector<std::string> expected;
  for (const auto& entry : set) expected.push_back(analyzer().analyze(entry.text).primary);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (std::size_t i = 0; i < set.size(); ++i) {
          if (analyzer().analyze(set[i].text).primary != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int count : mismatches) EXPECT_EQ(count, 0);
}

TEST(EmotionAnalyzer, WordNetLemmasReachIrregularForms) {
  auto wordnet = std::make_shared<providers::embed::WordNetLexicon>();
  if (!wordnet->available()) GTEST_SKIP() << "WordNet dictionary not installed (wordnet-base)";
  const EmotionAnalyzer widened(wordnet);
  EXPECT_EQ(primary("she wept"), "neutral");  // "wept" is not in the list
  EXPECT_EQ(widened.analyze("she wept").primary, "sadness");
  EXPECT_EQ(widened.analyze("I'm not happy at all").primary, "sadness");
}

// The labelled set itself: big enough, every label present, halves alternating.
TEST(EmotionLabelledSet, CoversEveryLabelWithAlternatingHalves) {
  const auto set = testing::emotion_labelled_set();
  EXPECT_GE(set.size(), 200u);
  std::map<std::string_view, std::vector<EvalHalf>> halves;
  for (const auto& entry : set) halves[entry.label].push_back(entry.half);
  ASSERT_EQ(halves.size(), emotion_labels.size());
  for (const auto& [label, sequence] : halves) {
    EXPECT_GE(sequence.size(), 15u) << label;
    for (std::size_t i = 0; i < sequence.size(); ++i) {
      EXPECT_EQ(sequence[i], i % 2 == 0 ? EvalHalf::dev : EvalHalf::held_out) << label << " " << i;
    }
  }
}

// Floors a few entries under what the analyzer measures today (bench/affect_eval: dev 1.000,
// held-out 0.926 accuracy, all 0.963), so a change that makes it read people worse fails here.
TEST(EmotionEvaluation, MeetsAccuracyAndMacroF1Floors) {
  const auto all = testing::evaluate_emotions(analyzer(), std::nullopt);
  const auto dev = testing::evaluate_emotions(analyzer(), EvalHalf::dev);
  const auto held_out = testing::evaluate_emotions(analyzer(), EvalHalf::held_out);
  EXPECT_GE(all.accuracy, 0.93);
  EXPECT_GE(all.macro_f1, 0.93);
  EXPECT_GE(dev.accuracy, 0.97);
  EXPECT_GE(held_out.accuracy, 0.88);
  EXPECT_GE(held_out.macro_f1, 0.88);
  for (std::size_t label = 0; label < emotion_labels.size(); ++label) {
    EXPECT_GE(all.per_label[label].f1, 0.8) << emotion_labels[label];
  }
}

}  // namespace
}  // namespace companion::core
