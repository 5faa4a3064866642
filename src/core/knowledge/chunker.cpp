#include "core/knowledge/chunker.hpp"

#include <algorithm>
#include <string_view>

#include "core/knowledge/sentence_splitter.hpp"
#include "core/knowledge/token_counter.hpp"

namespace companion::core {

namespace {

struct Unit {
  TextSpan span;
  std::size_t tokens = 0;
};

bool gap_has_newline(std::string_view text, std::size_t from, std::size_t to) {
  return text.substr(from, to - from).find('\n') != std::string_view::npos;
}

// Chooses how many of `tokens[first..]` go into the next piece: as many as the budget
// allows, pulled back to the last line break or space if that keeps at least half.
std::size_t piece_length(std::string_view text, const std::vector<TokenSpan>& tokens,
                         std::size_t first, std::size_t budget) {
  const std::size_t available = std::min(budget, tokens.size() - first);
  if (first + available == tokens.size()) return available;
  std::size_t at_space = 0;
  for (std::size_t n = available; n >= std::max<std::size_t>(1, budget / 2); --n) {
    const std::size_t gap_from = tokens[first + n - 1].end;
    const std::size_t gap_to = tokens[first + n].begin;
    if (gap_from == gap_to) continue;
    if (gap_has_newline(text, gap_from, gap_to)) return n;
    if (at_space == 0) at_space = n;
  }
  return at_space != 0 ? at_space : available;
}

// Cuts a sentence that alone exceeds the budget into pieces that fit.
void split_long_sentence(std::string_view text, TextSpan sentence, std::size_t budget,
                         std::vector<Unit>& units) {
  std::vector<TokenSpan> tokens;
  for_each_token(text.substr(sentence.begin, sentence.end - sentence.begin), [&](TokenSpan t) {
    tokens.push_back({t.begin + sentence.begin, t.end + sentence.begin});
  });
  std::size_t first = 0;
  while (first < tokens.size()) {
    const std::size_t n = piece_length(text, tokens, first, budget);
    units.push_back({{tokens[first].begin, tokens[first + n - 1].end}, n});
    first += n;
  }
}

std::vector<Unit> page_units(std::string_view text, std::size_t budget) {
  std::vector<Unit> units;
  for (const TextSpan sentence : split_sentences(text)) {
    const std::size_t tokens =
        count_tokens(text.substr(sentence.begin, sentence.end - sentence.begin));
    if (tokens == 0) continue;  // spans are trimmed, so never empty; hostile bytes aside
    if (tokens <= budget) {
      units.push_back({sentence, tokens});
    } else {
      split_long_sentence(text, sentence, budget, units);
    }
  }
  return units;
}

std::size_t sum_tokens(const std::vector<Unit>& units, std::size_t from, std::size_t to) {
  std::size_t total = 0;
  for (std::size_t i = from; i < to; ++i) total += units[i].tokens;
  return total;
}

// First unit of the overlap carried into a chunk that starts with fresh unit `next`: at
// most `overlap` units from the previous chunk, dropped from the front until the overlap
// is at most half the budget and leaves room for the fresh unit.
std::size_t overlap_start(const std::vector<Unit>& units, std::size_t previous_first,
                          std::size_t next, const ChunkingOptions& options) {
  std::size_t start = next - std::min(options.overlap_sentences, next - previous_first);
  while (start < next) {
    const std::size_t carried = sum_tokens(units, start, next);
    if (carried <= options.max_tokens / 2 && carried + units[next].tokens <= options.max_tokens) {
      break;
    }
    ++start;
  }
  return start;
}

void chunk_page(const DocumentPage& page, const ChunkingOptions& options,
                std::vector<DocumentChunk>& chunks) {
  const std::string_view text = page.text;
  const std::vector<Unit> units = page_units(text, options.max_tokens);
  std::size_t next = 0;
  std::size_t previous_first = 0;
  while (next < units.size()) {
    const std::size_t first = next == 0 ? 0 : overlap_start(units, previous_first, next, options);
    std::size_t tokens = sum_tokens(units, first, next) + units[next].tokens;
    std::size_t end = next + 1;
    while (end < units.size() && tokens + units[end].tokens <= options.max_tokens) {
      tokens += units[end++].tokens;
    }
    const std::size_t begin_byte = units[first].span.begin;
    const std::size_t end_byte = units[end - 1].span.end;
    std::string chunk_text(text.substr(begin_byte, end_byte - begin_byte));
    const std::size_t counted = count_tokens(chunk_text);
    chunks.push_back(
        {chunks.size(), page.number, begin_byte, end_byte, std::move(chunk_text), counted});
    previous_first = first;
    next = end;
  }
}

}  // namespace

std::vector<DocumentChunk> chunk_pages(const std::vector<DocumentPage>& pages,
                                       const ChunkingOptions& given) {
  ChunkingOptions options = given;
  options.max_tokens = std::max<std::size_t>(options.max_tokens, 1);
  std::vector<DocumentChunk> chunks;
  for (const DocumentPage& page : pages) chunk_page(page, options, chunks);
  return chunks;
}

}  // namespace companion::core
