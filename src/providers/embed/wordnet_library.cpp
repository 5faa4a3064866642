#include "providers/embed/wordnet_library.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <wn.h>

namespace companion::providers::embed::wordnet {

namespace {

// WordNet's words are ASCII and at most WORDBUF bytes; anything else cannot be in it, and
// the library copies into fixed buffers, so such input never reaches it.
constexpr std::size_t kMaxWordBytes = 64;

bool fits_library(const std::string& word) {
  if (word.empty() || word.size() > kMaxWordBytes) return false;
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != ' '; });
}

// The library reports problems by printing; the lexicon logs its own summary instead.
int quiet_display(char*) {
  return -1;
}

std::string readable(const char* raw) {
  std::string out(raw);
  if (auto paren = out.find('('); paren != std::string::npos) out.erase(paren);  // "free(a)"
  for (char& c : out) {
    if (c == '_') c = ' ';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Pos pos_of(int library_pos) {
  switch (library_pos) {
    case VERB:
      return Pos::Verb;
    case ADJ:
    case SATELLITE:
      return Pos::Adjective;
    case ADV:
      return Pos::Adverb;
    default:
      return Pos::Noun;
  }
}

}  // namespace

std::mutex& library_mutex() {
  // Process-wide because the library's state is: two lexicons share one dictionary.
  static std::mutex mutex;
  return mutex;
}

bool open(const std::filesystem::path& folder) {
  display_message = quiet_display;
  // The library reads its folder from WNSEARCHDIR first; set it only when it names another
  // folder, so a deployment's own setting is left alone.
  const char* current = std::getenv("WNSEARCHDIR");
  if (current == nullptr || folder != std::filesystem::path(current))
    setenv("WNSEARCHDIR", folder.c_str(), 1);
  return wninit() == 0;
}

std::vector<std::string> base_forms(const std::string& word, Pos pos) {
  std::vector<std::string> out;
  if (!fits_library(word)) return out;
  std::string buffer = word;
  int library_pos = static_cast<int>(pos);
  if (IndexPtr self = index_lookup(buffer.data(), library_pos)) {
    free_index(self);
    out.push_back(word);
  }
  // morphstr keeps its progress in static state: collect every form before any other call.
  for (char* form = morphstr(buffer.data(), library_pos); form != nullptr;
       form = morphstr(nullptr, library_pos)) {
    std::string base(form);
    if (std::find(out.begin(), out.end(), base) == out.end()) out.push_back(std::move(base));
  }
  return out;
}

std::optional<IndexEntry> index_entry(const std::string& lemma, Pos pos) {
  if (!fits_library(lemma)) return std::nullopt;
  std::string buffer = lemma;
  IndexPtr index = index_lookup(buffer.data(), static_cast<int>(pos));
  if (index == nullptr) return std::nullopt;
  IndexEntry entry{lemma, pos, {}};
  for (int i = 0; i < index->off_cnt; ++i)
    entry.senses.push_back({pos, static_cast<long>(index->offset[i])});
  free_index(index);
  return entry;
}

std::optional<Synset> read_synset(SynsetRef ref) {
  char no_word[] = "";
  SynsetPtr raw = ::read_synset(static_cast<int>(ref.pos), ref.offset, no_word);
  if (raw == nullptr) return std::nullopt;
  Synset out;
  for (int i = 0; i < raw->wcount; ++i) out.words.push_back(readable(raw->words[i]));
  for (int i = 0; i < raw->ptrcount; ++i) {
    if (raw->ptrtyp[i] == HYPERPTR || raw->ptrtyp[i] == INSTANCE)
      out.hypernyms.push_back({pos_of(raw->ppos[i]), raw->ptroff[i]});
  }
  free_synset(raw);
  return out;
}

}  // namespace companion::providers::embed::wordnet
