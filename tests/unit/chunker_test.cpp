// Chunking extracted pages for retrieval: chunks fit the token budget, overlap by whole
// sentences, and their page and byte offsets lead back to the exact source text.
#include "core/knowledge/chunker.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/knowledge/sentence_splitter.hpp"
#include "core/knowledge/token_counter.hpp"

namespace companion::core {
namespace {

// Sentences of 9 tokens each ("Sentence number N talks about topic N." ).
std::string numbered_sentences(int from, int count) {
  std::string text;
  for (int i = from; i < from + count; ++i) {
    if (!text.empty()) text += (i % 4 == 0) ? "\n\n" : " ";
    text +=
        "Sentence number " + std::to_string(i) + " talks about topic " + std::to_string(i) + ".";
  }
  return text;
}

std::vector<std::string> sentence_texts(const std::string& text) {
  std::vector<std::string> sentences;
  for (const TextSpan span : split_sentences(text)) {
    sentences.push_back(text.substr(span.begin, span.end - span.begin));
  }
  return sentences;
}

TEST(TokenCounter, CountsWordsAndPunctuation) {
  EXPECT_EQ(count_tokens("Hello, world!"), 4u);
  EXPECT_EQ(count_tokens("  don't   stop  "), 2u);
  EXPECT_EQ(count_tokens(""), 0u);
  EXPECT_EQ(count_tokens(std::string(160, 'x')), 10u);      // a long blob costs per 16 bytes
  EXPECT_EQ(count_tokens("\xE4\xBD\xA0\xE5\xA5\xBD"), 2u);  // two CJK characters
}

TEST(SentenceSplitter, EndsSentencesAtTerminalPunctuationAndParagraphs) {
  const auto sentences = sentence_texts(
      "Dr. Smith paid 3.5 dollars, e.g. for tea. Really?! Yes.\n\nHeading without stop\n"
      "The list: approx. five items. J. R. Tolkien wrote it.");
  const std::vector<std::string> expected = {
      "Dr. Smith paid 3.5 dollars, e.g. for tea.", "Really?!", "Yes.",
      "Heading without stop\nThe list: approx. five items.", "J. R. Tolkien wrote it."};
  EXPECT_EQ(sentences, expected);
}

TEST(Chunker, ChunksFitTheBudgetAndMapBackToTheExactSourceText) {
  const std::vector<DocumentPage> pages = {{1, numbered_sentences(1, 40)},
                                           {2, numbered_sentences(41, 40)}};
  const auto chunks = chunk_pages(pages, {.max_tokens = 50, .overlap_sentences = 1});
  ASSERT_GT(chunks.size(), 10u);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto& chunk = chunks[i];
    EXPECT_EQ(chunk.index, i);
    EXPECT_LE(chunk.token_count, 50u);
    EXPECT_EQ(chunk.token_count, count_tokens(chunk.text));
    const std::string& page = pages.at(static_cast<std::size_t>(chunk.page - 1)).text;
    ASSERT_LE(chunk.end, page.size());
    EXPECT_EQ(page.substr(chunk.begin, chunk.end - chunk.begin), chunk.text);
    // Whole sentences only: a chunk starts a sentence and ends one.
    EXPECT_EQ(chunk.text.rfind("Sentence number ", 0), 0u) << chunk.text;
    EXPECT_EQ(chunk.text.back(), '.') << chunk.text;
  }
  EXPECT_EQ(chunks.front().page, 1);
  EXPECT_EQ(chunks.back().page, 2);
  EXPECT_NE(chunks.back().text.find("topic 80."), std::string::npos);
}

TEST(Chunker, ConsecutiveChunksOverlapByTheLastSentence) {
  const std::vector<DocumentPage> pages = {{1, numbered_sentences(1, 30)}};
  const auto chunks = chunk_pages(pages, {.max_tokens = 40, .overlap_sentences = 1});
  ASSERT_GT(chunks.size(), 3u);
  for (std::size_t i = 1; i < chunks.size(); ++i) {
    const auto previous = sentence_texts(chunks[i - 1].text);
    const auto current = sentence_texts(chunks[i].text);
    ASSERT_GE(current.size(), 2u);
    EXPECT_EQ(current.front(), previous.back()) << "chunk " << i;
    EXPECT_LT(chunks[i - 1].begin, chunks[i].begin);
  }
}

TEST(Chunker, EverySentenceLandsInSomeChunk) {
  const std::string text = numbered_sentences(1, 50);
  const auto chunks = chunk_pages({{1, text}}, {.max_tokens = 60, .overlap_sentences = 2});
  for (const std::string& sentence : sentence_texts(text)) {
    bool found = false;
    for (const auto& chunk : chunks)
      found = found || chunk.text.find(sentence) != std::string::npos;
    EXPECT_TRUE(found) << sentence;
  }
}

TEST(Chunker, FactIsCitedWithItsPageAndOffsets) {
  const std::string fact = "The warranty lasts 36 months.";
  const std::vector<DocumentPage> pages = {
      {1, numbered_sentences(1, 20)},
      {2, numbered_sentences(21, 7) + " " + fact + " " + numbered_sentences(28, 10)}};
  const auto chunks = chunk_pages(pages);
  const DocumentChunk* found = nullptr;
  for (const auto& chunk : chunks) {
    if (chunk.text.find(fact) != std::string::npos) found = &chunk;
  }
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->page, 2);
  const std::size_t at = pages[1].text.find(fact);
  EXPECT_LE(found->begin, at);
  EXPECT_GE(found->end, at + fact.size());
}

TEST(Chunker, SentenceLongerThanTheBudgetIsSplitAtSpaces) {
  std::string sentence = "This sentence";
  for (int i = 0; i < 300; ++i) sentence += " goes on";
  sentence += ".";
  const std::string text = "Short start. " + sentence + " Short end.";
  const auto chunks = chunk_pages({{1, text}}, {.max_tokens = 50, .overlap_sentences = 1});
  ASSERT_GE(chunks.size(), 13u);  // 603 tokens of sentence in pieces of at most 50
  std::size_t covered = 0;
  for (const auto& chunk : chunks) {
    EXPECT_LE(chunk.token_count, 50u);
    EXPECT_NE(chunk.text.front(), ' ');
    EXPECT_EQ(text.substr(chunk.begin, chunk.end - chunk.begin), chunk.text);
    // Pieces of the long sentence are cut between words, never inside one.
    EXPECT_TRUE(chunk.end == text.size() || text[chunk.end] == ' ') << chunk.text;
    // Nothing is lost: all that lies between one chunk and the next is whitespace.
    if (chunk.begin > covered) {
      EXPECT_EQ(text.substr(covered, chunk.begin - covered).find_first_not_of(' '),
                std::string::npos);
    }
    covered = std::max(covered, chunk.end);
  }
  EXPECT_EQ(covered, text.size());
}

TEST(Chunker, WordLongerThanTheBudgetIsCutAtTokenBoundaries) {
  const std::string blob(5000, 'a');
  const auto chunks = chunk_pages({{1, blob}}, {.max_tokens = 20, .overlap_sentences = 1});
  std::string joined;
  for (const auto& chunk : chunks) {
    EXPECT_LE(chunk.token_count, 20u);
    joined += chunk.text;
  }
  EXPECT_EQ(joined, blob);
}

TEST(Chunker, EmptyPagesGiveNoChunksButKeepLaterPageNumbers) {
  const auto chunks = chunk_pages({{1, ""}, {2, "  \n "}, {3, "Only text here."}});
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].page, 3);
  EXPECT_EQ(chunks[0].index, 0u);
  EXPECT_EQ(chunks[0].text, "Only text here.");
}

}  // namespace
}  // namespace companion::core
