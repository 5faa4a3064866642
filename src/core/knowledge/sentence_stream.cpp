#include "core/knowledge/sentence_stream.hpp"

#include "core/knowledge/sentence_splitter.hpp"

namespace companion::core {

std::vector<std::string> SentenceStream::push(std::string_view piece) {
  pending_ += piece;
  auto spans = split_sentences(pending_);
  std::vector<std::string> complete;
  if (spans.size() < 2) return complete;
  for (std::size_t i = 0; i + 1 < spans.size(); ++i)
    complete.push_back(pending_.substr(spans[i].begin, spans[i].end - spans[i].begin));
  pending_.erase(0, spans.back().begin);
  return complete;
}

std::vector<std::string> SentenceStream::finish() {
  std::vector<std::string> rest;
  for (const auto& span : split_sentences(pending_))
    rest.push_back(pending_.substr(span.begin, span.end - span.begin));
  pending_.clear();
  return rest;
}

}  // namespace companion::core
