#pragma once
// A model-free token estimate for sizing chunks: a word is one token per started 16 bytes
// (long identifiers and URLs cost more, as they do for subword tokenizers), every
// punctuation mark is a token, and each ideographic character (CJK and above) is a token
// because such scripts write no spaces. Within ~20% of BPE counts for English prose, and
// cheap enough to run on every sentence of a large upload.
#include <cstddef>
#include <functional>
#include <string_view>

namespace companion::core {

struct TokenSpan {
  std::size_t begin = 0;  // byte offsets into the counted text
  std::size_t end = 0;
};

// Calls `visit` for every token, in order, with its byte range.
void for_each_token(std::string_view text, const std::function<void(TokenSpan)>& visit);

std::size_t count_tokens(std::string_view text);

}  // namespace companion::core
