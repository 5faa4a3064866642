// The document extractor and chunker on arbitrary uploads. The first byte picks the
// filename hint; the rest is the file. Properties: no crash or hang; a success has pages
// numbered from 1, well-formed UTF-8, and chunks within budget that map back to their page.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/knowledge/chunker.hpp"
#include "core/knowledge/token_counter.hpp"
#include "core/knowledge/utf8_text.hpp"
#include "media/documents/content_document_extractor.hpp"

using namespace companion;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::string_view kHints[] = {"a.pdf", "a.docx", "a.md", "a.html", "a.txt", ""};
  const std::string_view hint = kHints[data[0] % std::size(kHints)];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const core::ExtractionLimits limits{.max_input_bytes = 1u << 20,
                                      .max_pages = 50,
                                      .max_part_bytes = 4u << 20,
                                      .max_text_bytes = 4u << 20};
  const auto result = media::ContentDocumentExtractor(limits).extract(bytes, hint);
  if (!result.ok()) {
    if (result.error().message.empty()) std::abort();
    return 0;
  }
  const auto& pages = result.document().pages;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (pages[i].number != static_cast<int>(i + 1)) std::abort();
    if (!core::is_valid_utf8(pages[i].text)) std::abort();
  }
  for (const auto& chunk : core::chunk_pages(pages, {.max_tokens = 32, .overlap_sentences = 1})) {
    const std::string& page = pages.at(static_cast<std::size_t>(chunk.page - 1)).text;
    if (chunk.end > page.size() ||
        page.compare(chunk.begin, chunk.end - chunk.begin, chunk.text) != 0) {
      std::abort();
    }
    if (chunk.token_count > 32) std::abort();
  }
  return 0;
}
