#include "providers/embed/wordnet_lexicon.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <set>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "providers/embed/wordnet_library.hpp"

namespace companion::providers::embed {

namespace fs = std::filesystem;
using wordnet::Pos;
using wordnet::SynsetRef;

namespace {

// Where Debian's wordnet-base and the upstream installer put the dictionary.
constexpr std::array<const char*, 2> kInstallFolders = {"/usr/share/wordnet",
                                                        "/usr/local/WordNet-3.0/dict"};

// Bounds that keep one word's expansion small: a polysemous word ("run", 41 verb senses)
// would otherwise pull in hundreds of terms and drown the word itself.
constexpr std::size_t kMaxSynonyms = 16;
constexpr std::size_t kMaxTermsPerLevel = 16;
constexpr std::size_t kMaxFrontier = 12;

bool holds_dictionary(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / "index.noun", ec) &&
         fs::is_regular_file(folder / "data.noun", ec);
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// A sense to expand and how central it is: WordNet lists senses most frequent first, and
// the reading with the most senses is the word's main one ("shoes" is mostly a noun).
struct WeightedSense {
  SynsetRef ref;
  float salience = 1.0f;
};

constexpr float kOtherReadingWeight = 0.5f;

// The first few senses of each reading, main reading first.
std::vector<WeightedSense> leading_senses(const std::vector<wordnet::IndexEntry>& readings,
                                          std::size_t per_reading, bool nouns_and_verbs_only) {
  std::vector<WeightedSense> out;
  for (std::size_t r = 0; r < readings.size(); ++r) {
    const auto& reading = readings[r];
    if (nouns_and_verbs_only && reading.pos != Pos::Noun && reading.pos != Pos::Verb) continue;
    float reading_weight = r == 0 ? 1.0f : kOtherReadingWeight;
    std::size_t n = std::min(per_reading, reading.senses.size());
    for (std::size_t k = 0; k < n; ++k)
      out.push_back({reading.senses[k], reading_weight / static_cast<float>(k + 1)});
  }
  return out;
}

// Reads synsets once per lookup: hypernym paths of different senses often meet.
class SynsetReader {
 public:
  const wordnet::Synset* read(SynsetRef ref) {
    auto key = std::make_pair(static_cast<int>(ref.pos), ref.offset);
    auto it = seen_.find(key);
    if (it == seen_.end()) it = seen_.emplace(key, wordnet::read_synset(ref)).first;
    return it->second ? &*it->second : nullptr;
  }

 private:
  std::map<std::pair<int, long>, std::optional<wordnet::Synset>> seen_;
};

// Every reading of `word` in every part of speech, the one with the most senses (the most
// common reading: "running" is mostly the verb "run") first.
std::vector<wordnet::IndexEntry> readings_of(const std::string& word) {
  std::vector<wordnet::IndexEntry> readings;
  for (Pos pos : {Pos::Noun, Pos::Verb, Pos::Adjective, Pos::Adverb}) {
    for (const auto& form : wordnet::base_forms(word, pos))
      if (auto entry = wordnet::index_entry(form, pos)) readings.push_back(std::move(*entry));
  }
  std::stable_sort(readings.begin(), readings.end(),
                   [](const auto& a, const auto& b) { return a.senses.size() > b.senses.size(); });
  return readings;
}

std::vector<std::string> lemmas_of(const std::vector<wordnet::IndexEntry>& readings) {
  std::vector<std::string> lemmas;
  for (const auto& r : readings)
    if (std::find(lemmas.begin(), lemmas.end(), r.lemma) == lemmas.end()) lemmas.push_back(r.lemma);
  return lemmas;
}

// Collects one group of related terms (the synonyms, or one hypernym level). A term
// already in an earlier group stays there; within the group it keeps its best salience.
class TermGroup {
 public:
  TermGroup(std::set<std::string>& earlier, std::size_t limit) : earlier_(earlier), limit_(limit) {}

  void add(const std::vector<std::string>& words, float salience) {
    for (const auto& w : words) {
      if (earlier_.count(w) != 0) continue;
      if (auto it = index_.find(w); it != index_.end()) {
        auto& kept = terms_[it->second].salience;
        kept = std::max(kept, salience);
      } else if (terms_.size() < limit_) {
        index_.emplace(w, terms_.size());
        terms_.push_back({w, salience});
      }
    }
  }

  // Hands the terms over and marks them as taken for later groups.
  std::vector<core::RelatedTerm> finish() {
    for (const auto& t : terms_) earlier_.insert(t.term);
    return std::move(terms_);
  }

 private:
  std::set<std::string>& earlier_;
  std::size_t limit_;
  std::map<std::string, std::size_t> index_;
  std::vector<core::RelatedTerm> terms_;
};

}  // namespace

std::optional<fs::path> find_wordnet_dictionary(const WordNetOptions& options) {
  std::vector<fs::path> candidates;
  if (!options.dictionary_dir.empty()) candidates.emplace_back(options.dictionary_dir);
  if (options.search_other_folders) {
    if (auto v = env("WNSEARCHDIR")) candidates.emplace_back(*v);
    if (auto v = env("WNHOME")) candidates.emplace_back(fs::path(*v) / "dict");
    for (const char* folder : kInstallFolders) candidates.emplace_back(folder);
  }
  for (const auto& folder : candidates)
    if (holds_dictionary(folder)) return folder;
  return std::nullopt;
}

WordNetLexicon::WordNetLexicon(WordNetOptions options)
    : options_(std::move(options)), cache_(options_.cache_capacity) {
  auto folder = find_wordnet_dictionary(options_);
  if (!folder) {
    spdlog::warn(
        "WordNet dictionary not found (set WNSEARCHDIR or install wordnet-base): embeddings "
        "and text analysis work without synonyms and hypernyms");
    return;
  }
  std::lock_guard lock(wordnet::library_mutex());
  available_ = wordnet::open(*folder);
  if (!available_) {
    spdlog::warn("WordNet dictionary in {} could not be opened: running without a lexicon",
                 folder->string());
    return;
  }
  dictionary_dir_ = folder->string();
}

std::shared_ptr<const core::LexicalEntry> WordNetLexicon::lookup(std::string_view word) const {
  std::string key(word);
  {
    std::lock_guard lock(cache_mutex_);
    if (auto hit = cache_.get(key)) return *hit;
  }
  auto entry =
      std::make_shared<const core::LexicalEntry>(available_ ? compute(key) : core::LexicalEntry{});
  std::lock_guard lock(cache_mutex_);
  cache_.put(key, entry);
  return entry;
}

core::LexicalEntry WordNetLexicon::compute(const std::string& word) const {
  std::lock_guard lock(wordnet::library_mutex());
  core::LexicalEntry entry;
  auto readings = readings_of(word);
  entry.lemmas = lemmas_of(readings);
  if (readings.empty()) return entry;
  SynsetReader reader;
  std::set<std::string> seen(entry.lemmas.begin(), entry.lemmas.end());
  seen.insert(word);
  TermGroup synonyms(seen, kMaxSynonyms);
  for (auto sense : leading_senses(readings, options_.senses_per_word, false))
    if (const auto* synset = reader.read(sense.ref)) synonyms.add(synset->words, sense.salience);
  entry.synonyms = synonyms.finish();
  // Climb "is a kind of" links level by level from the noun and verb senses; a parent is as
  // central as the sense it was reached from.
  auto frontier = leading_senses(readings, options_.senses_per_word, true);
  for (std::size_t level = 0; level < options_.hypernym_levels && !frontier.empty(); ++level) {
    std::vector<WeightedSense> next;
    for (const auto& sense : frontier) {
      const auto* synset = reader.read(sense.ref);
      if (synset == nullptr) continue;
      for (SynsetRef up : synset->hypernyms)
        if (next.size() < kMaxFrontier) next.push_back({up, sense.salience});
    }
    TermGroup terms(seen, kMaxTermsPerLevel);
    for (const auto& sense : next)
      if (const auto* synset = reader.read(sense.ref)) terms.add(synset->words, sense.salience);
    entry.hypernyms.push_back(terms.finish());
    frontier = std::move(next);
  }
  return entry;
}

}  // namespace companion::providers::embed
