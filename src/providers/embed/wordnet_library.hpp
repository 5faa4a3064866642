#pragma once
// Thin C++ access to the WordNet C library. It is the only file that includes <wn.h>,
// whose short macro names (NOUN, VERB, ...) would otherwise leak everywhere.
// The library keeps process-wide state: hold library_mutex() around every call here.
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace companion::providers::embed::wordnet {

enum class Pos { Noun = 1, Verb = 2, Adjective = 3, Adverb = 4 };

struct SynsetRef {
  Pos pos = Pos::Noun;
  long offset = 0;
};

struct IndexEntry {
  std::string lemma;
  Pos pos = Pos::Noun;
  std::vector<SynsetRef> senses;  // most frequent first
};

struct Synset {
  std::vector<std::string> words;    // lower-case, multiword terms with spaces
  std::vector<SynsetRef> hypernyms;  // "is a kind of" and "is an instance of"
};

std::mutex& library_mutex();

// Opens the dictionary in `folder`. The library opens one dictionary per process: after a
// success, later calls answer true whatever folder they name.
bool open(const std::filesystem::path& folder);

// The dictionary forms of `word` as `pos` ("ran" → "run"), the word itself first when it
// is one; empty when `pos` has none.
std::vector<std::string> base_forms(const std::string& word, Pos pos);
std::optional<IndexEntry> index_entry(const std::string& lemma, Pos pos);
std::optional<Synset> read_synset(SynsetRef ref);

}  // namespace companion::providers::embed::wordnet
