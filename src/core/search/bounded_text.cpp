#include "core/search/bounded_text.hpp"

#include "core/knowledge/sentence_splitter.hpp"

namespace companion::core {

namespace {

constexpr std::string_view kEllipsis = "…";

// The largest offset <= `limit` that does not split a UTF-8 character.
std::size_t character_boundary(std::string_view text, std::size_t limit) {
  while (limit > 0 && limit < text.size() &&
         (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80)
    --limit;
  return limit;
}

std::string_view trim_end(std::string_view text) {
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' || text.back() == '\r' ||
          text.back() == ',' || text.back() == ';' || text.back() == ':'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::string cut_at_word(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t room = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  std::size_t end = character_boundary(text, room);
  // Back up to the space before the word the bound falls in, unless the text has none.
  std::size_t space = text.substr(0, end + 1).find_last_of(" \n\t");
  if (space != std::string_view::npos && space > 0) end = space;
  return std::string(trim_end(text.substr(0, end))) + std::string(kEllipsis);
}

std::string cut_at_sentence(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t best = 0;
  for (const auto& span : split_sentences(text.substr(0, max_bytes + 1))) {
    if (span.end > max_bytes) break;
    // The splitter saw only a prefix: its last "sentence" may be cut, not ended.
    if (span.end == max_bytes + 1) break;
    char last = text[span.end - 1];
    if (last == '.' || last == '!' || last == '?' || last == '"' || last == ')') best = span.end;
  }
  if (best >= max_bytes / 2) return std::string(text.substr(0, best));
  return cut_at_word(text, max_bytes);
}

}  // namespace companion::core
