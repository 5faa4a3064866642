#pragma once
// The Lexicon port on Princeton WordNet 3.0 through its C library. The library keeps its
// open files and search buffers in process-wide globals and is not thread-safe, so every
// call into it is serialised by one process-wide lock, and answers are cached per word.
// Without a dictionary the lexicon reports unavailable and knows no word; it never fails.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/embedding/lexicon.hpp"
#include "core/lru_cache.hpp"

namespace companion::providers::embed {

struct WordNetOptions {
  // Empty: WNSEARCHDIR, then WNHOME/dict, then the folders the packages install to.
  std::string dictionary_dir;
  // False: only dictionary_dir is tried (a deployment that pins its dictionary).
  bool search_other_folders = true;
  std::size_t hypernym_levels = 3;
  // Senses per part of speech that are expanded; WordNet orders them by frequency and the
  // rare ones ("buy" as "bribe") mostly add noise.
  std::size_t senses_per_word = 3;
  std::size_t cache_capacity = 50000;  // words
};

// Where the dictionary files are, or nullopt when no candidate folder holds them.
std::optional<std::filesystem::path> find_wordnet_dictionary(const WordNetOptions& options);

class WordNetLexicon final : public core::Lexicon {
 public:
  explicit WordNetLexicon(WordNetOptions options = {});

  bool available() const override { return available_; }
  std::size_t hypernym_levels() const override { return options_.hypernym_levels; }
  std::shared_ptr<const core::LexicalEntry> lookup(std::string_view word) const override;

  // The folder the library reads, empty when unavailable.
  const std::string& dictionary_dir() const { return dictionary_dir_; }

 private:
  core::LexicalEntry compute(const std::string& word) const;

  WordNetOptions options_;
  bool available_ = false;
  std::string dictionary_dir_;
  mutable std::mutex cache_mutex_;
  mutable core::LruCache<std::string, std::shared_ptr<const core::LexicalEntry>> cache_;
};

}  // namespace companion::providers::embed
