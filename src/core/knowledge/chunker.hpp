#pragma once
// Cuts extracted pages into overlapping chunks for retrieval. Chunks are packed from whole
// sentences up to a token budget and repeat the last sentence(s) of the previous chunk, so
// a fact near a boundary is found with its context. A chunk never crosses a page, and it
// records its page and byte range so an answer can cite exactly where it came from.
#include <cstddef>
#include <string>
#include <vector>

#include "core/knowledge/document_extractor.hpp"

namespace companion::core {

struct ChunkingOptions {
  std::size_t max_tokens = 200;       // budget per chunk, counted by count_tokens
  std::size_t overlap_sentences = 1;  // sentences repeated from the previous chunk
};

struct DocumentChunk {
  std::size_t index = 0;  // position in the document, from 0
  int page = 1;           // DocumentPage::number the chunk comes from
  std::size_t begin = 0;  // byte range [begin, end) in that page's text
  std::size_t end = 0;
  std::string text;  // exactly page.text.substr(begin, end - begin)
  std::size_t token_count = 0;
};

// Sentences longer than the budget are cut at line breaks or spaces (at a token boundary
// when a single word is longer than the budget), the only case that splits a sentence.
std::vector<DocumentChunk> chunk_pages(const std::vector<DocumentPage>& pages,
                                       const ChunkingOptions& options = {});

}  // namespace companion::core
