#pragma once
// Entries of one or more words ("can't wait", "a bit", "happy") looked up at a position in
// a sentence. The longest entry wins, and words that only shade a feeling may sit between
// an entry's words: "feeling kinda blue" still reads as "feeling blue".
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace companion::core {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

template <typename Value>
class PhraseTable {
 public:
  struct Match {
    const Value* value = nullptr;
    std::size_t end = 0;  // one past the last word of the entry
    // Bit i set: words[start + i] was skipped, it stands inside the entry without being one
    // of its words.
    std::uint32_t skipped = 0;
  };

  void add(std::vector<std::string> words, Value value) {
    if (words.empty()) return;
    for (const auto& word : words) vocabulary_.insert(word);
    auto& entries = by_first_word_[words.front()];
    entries.push_back({std::move(words), std::move(value)});
    // Longest first, so the first entry that matches is the longest that does.
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.words.size() > b.words.size();
    });
  }

  // The longest entry starting at words[start]; `skippable(i)` says whether words[i] may
  // stand between two of an entry's words (at most two such words per entry).
  template <typename Skippable>
  Match longest(std::span<const std::string_view> words, std::size_t start,
                Skippable&& skippable) const {
    const auto found = by_first_word_.find(words[start]);
    if (found == by_first_word_.end()) return {};
    for (const Entry& entry : found->second) {
      std::uint32_t skipped = 0;
      if (const std::size_t end = match_end(entry.words, words, start, skippable, skipped)) {
        return {&entry.value, end, skipped};
      }
    }
    return {};
  }

  Match longest(std::span<const std::string_view> words, std::size_t start) const {
    return longest(words, start, [](std::size_t) { return false; });
  }

  // Whether any entry uses this word.
  bool uses(std::string_view word) const { return vocabulary_.find(word) != vocabulary_.end(); }

  std::size_t size() const {
    std::size_t count = 0;
    for (const auto& [first, entries] : by_first_word_) count += entries.size();
    return count;
  }

 private:
  struct Entry {
    std::vector<std::string> words;
    Value value;
  };

  // One past the last matched word, or 0 when the entry does not match here.
  template <typename Skippable>
  static std::size_t match_end(const std::vector<std::string>& entry,
                               std::span<const std::string_view> words, std::size_t start,
                               Skippable& skippable, std::uint32_t& skipped) {
    constexpr int kMaxSkips = 2;
    std::size_t at = start + 1;
    int skips = 0;
    for (std::size_t next = 1; next < entry.size(); ++at) {
      if (at >= words.size()) return 0;
      if (words[at] == entry[next]) {
        ++next;
      } else if (skips < kMaxSkips && skippable(at) && at - start < 32) {
        ++skips;
        skipped |= std::uint32_t{1} << (at - start);
      } else {
        return 0;
      }
    }
    return at;
  }

  std::unordered_map<std::string, std::vector<Entry>, StringHash, std::equal_to<>> by_first_word_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> vocabulary_;
};

}  // namespace companion::core
