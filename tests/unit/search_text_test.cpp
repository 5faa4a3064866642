// The text helpers of the search tools and adapters: markup read as plain words, queries
// percent-encoded for the services, and results cut to a bound without breaking a word or
// a UTF-8 character.
#include <gtest/gtest.h>

#include "core/knowledge/utf8_text.hpp"
#include "core/search/bounded_text.hpp"
#include "providers/search/markup_text.hpp"
#include "providers/search/query_string.hpp"

using companion::core::cut_at_sentence;
using companion::core::cut_at_word;
using companion::core::is_valid_utf8;
using companion::providers::percent_encode;
using companion::providers::plain_text_from_markup;
using companion::providers::url_with_query;

TEST(MarkupText, SearchMatchSpansAndEntitiesBecomePlainWords) {
  EXPECT_EQ(plain_text_from_markup(
                R"(<span class="searchmatch">Ada</span> <span class="searchmatch">Lovelace</span>)"
                R"( wrote &quot;Note G&quot; &amp; more&#8230; caf&eacute; &#x2014; done)"),
            "Ada Lovelace wrote \"Note G\" & more… café — done");
}

TEST(MarkupText, AStrayLessThanIsTextAndEscapedTagsStayText) {
  EXPECT_EQ(plain_text_from_markup("if a < b and b > c"), "if a < b and b > c");
  EXPECT_EQ(plain_text_from_markup("&lt;b&gt;bold&lt;/b&gt;"), "<b>bold</b>");
  EXPECT_EQ(plain_text_from_markup("x <3 y"), "x <3 y");
  EXPECT_EQ(plain_text_from_markup("unclosed <span class=\"a"), "unclosed <span class=\"a");
}

TEST(MarkupText, WhitespaceIsFoldedAndTrimmed) {
  EXPECT_EQ(plain_text_from_markup("  one\n\n two\t<b>three</b>  "), "one two three");
  EXPECT_EQ(plain_text_from_markup(R"(<a title="x > y">link</a> text)"), "link text");
  EXPECT_EQ(plain_text_from_markup(""), "");
}

TEST(QueryString, EverythingButUnreservedCharactersIsEncoded) {
  EXPECT_EQ(percent_encode("a b&c=d+e/f?g#h%"), "a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25");
  EXPECT_EQ(percent_encode("Ünïcödé"), "%C3%9Cn%C3%AFc%C3%B6d%C3%A9");
  EXPECT_EQ(percent_encode("safe-._~AZaz09"), "safe-._~AZaz09");
}

TEST(QueryString, ParametersFollowTheBasesOwnQuery) {
  EXPECT_EQ(url_with_query("http://h/search", {{"q", "a b"}, {"format", "json"}}),
            "http://h/search?q=a%20b&format=json");
  EXPECT_EQ(url_with_query("http://h/api.php?key=1", {{"q", "x"}}), "http://h/api.php?key=1&q=x");
  EXPECT_EQ(url_with_query("http://h/api.php?", {{"q", "x"}}), "http://h/api.php?q=x");
}

TEST(BoundedText, ShortTextIsKeptWhole) {
  EXPECT_EQ(cut_at_word("short text", 100), "short text");
  EXPECT_EQ(cut_at_sentence("One. Two.", 9), "One. Two.");
}

TEST(BoundedText, LongTextIsCutAtAWordWithAnEllipsis) {
  std::string cut = cut_at_word("the quick brown fox jumps over the lazy dog", 20);
  EXPECT_EQ(cut, "the quick brown…");
  EXPECT_LE(cut.size(), 20u);
}

TEST(BoundedText, NeverSplitsAUtf8Character) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "é";  // no spaces at all
  for (std::size_t bound = 4; bound < 30; ++bound) {
    std::string cut = cut_at_word(text, bound);
    EXPECT_TRUE(is_valid_utf8(cut)) << bound;
    EXPECT_LE(cut.size(), bound) << bound;
  }
}

TEST(BoundedText, PrefersTheEndOfASentenceWhenOneEndsLateEnough) {
  std::string text = "Paris is the capital of France. It has many museums and a famous tower.";
  EXPECT_EQ(cut_at_sentence(text, 50), "Paris is the capital of France.");
  // The first sentence ends too early to be worth keeping alone: cut at a word instead.
  std::string early = "Hi. " + std::string("a long stretch of words without any full stop here");
  std::string cut = cut_at_sentence(early, 40);
  EXPECT_TRUE(cut.ends_with("…")) << cut;
  EXPECT_LE(cut.size(), 40u);
}
