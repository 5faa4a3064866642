#pragma once
// BM25 over one user's searchable memories, in memory. SQLite's full-text index scores
// every row that shares a word with the question (about two microseconds each, so twenty
// milliseconds for a word found in a tenth of 100k memories) and works out each word's
// weight from its doclist over all users (milliseconds more at a million rows); here a
// score is a few nanoseconds per posting, accumulated term at a time, and the statistics
// (document count, lengths, frequencies) are the user's own.
//
// Words are the tokenizer's, without function words, folded by stem_word. Readers share,
// writers exclude.
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/memory/memory_repository.hpp"

namespace companion::core {

class LexicalIndex {
 public:
  // Adds the row or replaces its text and fields.
  void add(std::int64_t row_id, MemoryTier tier, const std::string& category,
           std::string_view text);
  void remove(std::int64_t row_id);
  void set_tier(std::int64_t row_id, MemoryTier tier);

  // The `limit` best rows for the question that pass the filter, best first; bm25 holds
  // the negated score, lower is better, as SQLite reports it.
  std::vector<LexicalHit> search(std::string_view question, const MemoryFilter& filter,
                                 std::size_t limit) const;

  std::size_t size() const;
  std::size_t bytes() const;

 private:
  struct Posting {
    std::uint32_t slot;
    std::uint32_t count;  // occurrences of the word in the memory
  };
  struct Document {
    std::int64_t row_id = 0;  // 0: a free slot
    std::uint32_t length = 0;
    MemoryTier tier = MemoryTier::Session;
    std::uint32_t category = 0;
    std::vector<std::uint32_t> words;  // distinct word ids, to take them out again
  };
  static std::vector<std::string> index_words(std::string_view text);
  void remove_locked(std::int64_t row_id);

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::uint32_t> word_ids_;
  std::vector<std::vector<Posting>> postings_;  // by word id
  std::vector<Document> documents_;             // by slot
  std::vector<std::uint32_t> free_slots_;
  std::unordered_map<std::int64_t, std::uint32_t> slot_of_;
  std::unordered_map<std::string, std::uint32_t> category_ids_;
  std::uint64_t total_length_ = 0;
  std::size_t postings_count_ = 0;
};

}  // namespace companion::core
