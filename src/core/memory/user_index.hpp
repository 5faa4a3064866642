#pragma once
// What is kept in memory of one user for search: the vectors (an exact scan or a graph)
// and the words (BM25). Both are set when the index is loaded and follow every write
// after; each synchronises itself.
#include <cstddef>
#include <memory>

#include "core/memory/lexical_index.hpp"
#include "core/memory/user_vectors.hpp"

namespace companion::core {

struct UserIndex {
  std::shared_ptr<UserVectors> vectors;
  std::shared_ptr<LexicalIndex> words;

  std::size_t bytes() const { return vectors->bytes() + words->bytes(); }
};

}  // namespace companion::core
