#include "core/memory/lexical_index.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>

#include "core/embedding/stop_words.hpp"
#include "core/embedding/tokenizer.hpp"
#include "core/memory/word_stem.hpp"

namespace companion::core {

namespace {

// The usual BM25 constants: term frequency saturates around k1, b weighs length.
constexpr double k1 = 1.2;
constexpr double b = 0.75;

struct Scratch {
  std::vector<float> scores;
  std::vector<std::uint32_t> touched;
};

// Per thread, so concurrent searches share nothing and a search allocates nothing once
// its thread has searched a user this large before.
Scratch& scratch(std::size_t slots) {
  thread_local Scratch s;
  if (s.scores.size() < slots) s.scores.resize(slots, 0.0f);
  s.touched.clear();
  return s;
}

}  // namespace

std::vector<std::string> LexicalIndex::index_words(std::string_view text) {
  std::vector<std::string> out;
  for (auto& word : tokenize_words(text))
    if (!is_stop_word(word)) out.push_back(stem_word(std::move(word)));
  return out;
}

void LexicalIndex::add(std::int64_t row_id, MemoryTier tier, const std::string& category,
                       std::string_view text) {
  auto words = index_words(text);
  std::unique_lock lock(mutex_);
  remove_locked(row_id);
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(documents_.size());
    documents_.emplace_back();
  }
  auto& doc = documents_[slot];
  doc.row_id = row_id;
  doc.length = static_cast<std::uint32_t>(words.size());
  doc.tier = tier;
  auto [category_it, new_category] =
      category_ids_.try_emplace(category, static_cast<std::uint32_t>(category_ids_.size()));
  doc.category = category_it->second;
  std::sort(words.begin(), words.end());
  for (std::size_t i = 0; i < words.size();) {
    std::size_t j = i;
    while (j < words.size() && words[j] == words[i]) ++j;
    auto [it, added] =
        word_ids_.try_emplace(words[i], static_cast<std::uint32_t>(postings_.size()));
    if (added) postings_.emplace_back();
    postings_[it->second].push_back({slot, static_cast<std::uint32_t>(j - i)});
    doc.words.push_back(it->second);
    ++postings_count_;
    i = j;
  }
  total_length_ += doc.length;
  slot_of_.emplace(row_id, slot);
}

void LexicalIndex::remove(std::int64_t row_id) {
  std::unique_lock lock(mutex_);
  remove_locked(row_id);
}

void LexicalIndex::remove_locked(std::int64_t row_id) {
  auto found = slot_of_.find(row_id);
  if (found == slot_of_.end()) return;
  auto slot = found->second;
  auto& doc = documents_[slot];
  for (auto word : doc.words) {
    auto& list = postings_[word];
    // Order within a posting list carries no meaning: swap-remove.
    auto at =
        std::find_if(list.begin(), list.end(), [&](const Posting& p) { return p.slot == slot; });
    if (at == list.end()) continue;
    *at = list.back();
    list.pop_back();
  }
  total_length_ -= doc.length;
  postings_count_ -= doc.words.size();
  doc = Document{};
  free_slots_.push_back(slot);
  slot_of_.erase(found);
}

void LexicalIndex::set_tier(std::int64_t row_id, MemoryTier tier) {
  std::unique_lock lock(mutex_);
  if (auto found = slot_of_.find(row_id); found != slot_of_.end())
    documents_[found->second].tier = tier;
}

std::vector<LexicalHit> LexicalIndex::search(std::string_view question, const MemoryFilter& filter,
                                             std::size_t limit) const {
  std::vector<LexicalHit> out;
  if (limit == 0) return out;
  auto words = index_words(question);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::shared_lock lock(mutex_);
  auto n = static_cast<double>(slot_of_.size());
  if (n == 0) return out;
  std::optional<std::uint32_t> category;
  if (filter.category) {
    auto found = category_ids_.find(*filter.category);
    if (found == category_ids_.end()) return out;
    category = found->second;
  }
  double average_length = std::max(1.0, static_cast<double>(total_length_) / n);
  auto& s = scratch(documents_.size());
  for (const auto& word : words) {
    auto id = word_ids_.find(word);
    if (id == word_ids_.end()) continue;
    const auto& list = postings_[id->second];
    auto df = static_cast<double>(list.size());
    auto idf = static_cast<float>(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
    for (const auto& p : list) {
      const auto& doc = documents_[p.slot];
      if (filter.tier && doc.tier != *filter.tier) continue;
      if (category && doc.category != *category) continue;
      auto tf = static_cast<float>(p.count);
      auto norm = static_cast<float>(k1 * (1 - b + b * doc.length / average_length));
      if (s.scores[p.slot] == 0.0f) s.touched.push_back(p.slot);
      s.scores[p.slot] += idf * tf * static_cast<float>(k1 + 1) / (tf + norm);
    }
  }
  auto better = [&](std::uint32_t x, std::uint32_t y) {
    if (s.scores[x] != s.scores[y]) return s.scores[x] > s.scores[y];
    return documents_[x].row_id > documents_[y].row_id;  // newer first, so answers are stable
  };
  auto& touched = s.touched;
  if (touched.size() > limit) {
    std::nth_element(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(limit),
                     touched.end(), better);
    std::sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(limit), better);
  } else {
    std::sort(touched.begin(), touched.end(), better);
  }
  for (std::size_t i = 0; i < touched.size(); ++i) {
    if (i < limit) out.push_back({documents_[touched[i]].row_id, -s.scores[touched[i]]});
    s.scores[touched[i]] = 0.0f;  // leaves the scratch clean for the next search
  }
  return out;
}

std::size_t LexicalIndex::size() const {
  std::shared_lock lock(mutex_);
  return slot_of_.size();
}

std::size_t LexicalIndex::bytes() const {
  std::shared_lock lock(mutex_);
  // An estimate kept cheap (the cache asks often): each posting is also listed in its
  // document, and hash nodes cost about two pointers besides their pair.
  return documents_.capacity() * sizeof(Document) +
         slot_of_.size() * (sizeof(std::pair<std::int64_t, std::uint32_t>) + 16) +
         word_ids_.size() * 64 + postings_.capacity() * sizeof(std::vector<Posting>) +
         postings_count_ * (sizeof(Posting) + sizeof(std::uint32_t));
}

}  // namespace companion::core
