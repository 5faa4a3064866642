#pragma once
// What is kept in memory of one user for search: the vectors (an exact scan or a graph)
// and, for users with many memories, a lexical index. The pointers are set once; a part
// added later comes in a new UserIndex that replaces this one in the cache, so a search
// holding the old one is never disturbed. The parts synchronise themselves.
#include <cstddef>
#include <memory>

#include "core/memory/lexical_index.hpp"
#include "core/memory/user_vectors.hpp"

namespace companion::core {

struct UserIndex {
  std::shared_ptr<UserVectors> vectors;  // null without an embedder
  std::shared_ptr<LexicalIndex> words;   // null: BM25 comes from the store's full-text index

  std::size_t bytes() const {
    return (vectors ? vectors->bytes() : 0) + (words ? words->bytes() : 0);
  }
};

}  // namespace companion::core
