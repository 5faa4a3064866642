#include "core/memory/user_vectors.hpp"

#include <algorithm>
#include <mutex>

#include "core/memory/vector_kernels.hpp"

namespace companion::core {

namespace {

// Candidates the int8 pass hands to the exact pass: enough that quantisation error (a
// fraction of a percent of similarity) cannot push a true top answer out.
std::size_t exact_pool(std::size_t limit) {
  return std::max<std::size_t>(4 * limit, 64);
}

// Below this share of the user's rows a filtered search compares the matching rows one by
// one; above it the graph is searched for more answers than asked and filtered after.
constexpr double graph_filter_share = 0.25;

std::vector<VectorMatch> best_first(std::vector<VectorMatch> matches, std::size_t limit) {
  if (matches.size() > limit) {
    std::nth_element(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(limit),
                     matches.end(), better_match);
    matches.resize(limit);
  }
  std::sort(matches.begin(), matches.end(), better_match);
  return matches;
}

}  // namespace

UserVectors::UserVectors(std::string space_id, std::unique_ptr<HnswIndex> graph,
                         const std::vector<StoredVector>& rows)
    : space_id_(std::move(space_id)), dimension_(graph->dimension()), graph_(std::move(graph)) {
  for (const auto& row : rows) {
    if (!graph_->contains(row.row_id) || index_of_.count(row.row_id)) continue;
    index_of_.emplace(row.row_id, ids_.size());
    ids_.push_back(row.row_id);
    tiers_.push_back(row.tier);
    categories_.push_back(category_id(row.category));
  }
}

std::uint32_t UserVectors::category_id(const std::string& name) {
  auto [it, added] =
      category_ids_.try_emplace(name, static_cast<std::uint32_t>(category_names_.size()));
  if (added) category_names_.push_back(name);
  return it->second;
}

std::uint32_t UserVectors::find_category(const MemoryFilter& filter) const {
  if (!filter.category) return no_category;
  auto found = category_ids_.find(*filter.category);
  return found == category_ids_.end() ? no_category : found->second;
}

bool UserVectors::passes(std::size_t slot, const MemoryFilter& filter,
                         std::uint32_t category) const {
  if (filter.tier && tiers_[slot] != *filter.tier) return false;
  if (filter.category && categories_[slot] != category) return false;
  return true;
}

void UserVectors::set_values(std::size_t slot, std::span<const float> values) {
  std::copy(values.begin(), values.end(),
            values_.begin() + static_cast<std::ptrdiff_t>(slot * dimension_));
  scales_[slot] = quantise_i8(values, codes_.data() + slot * dimension_);
}

void UserVectors::note_change(std::int64_t row_id) {
  if (building_) changed_while_building_.push_back(row_id);
  if (graph_) graph_changed_ = true;
}

void UserVectors::reserve(std::size_t rows) {
  std::unique_lock lock(mutex_);
  ids_.reserve(rows);
  tiers_.reserve(rows);
  categories_.reserve(rows);
  index_of_.reserve(rows);
  if (graph_) return;
  values_.reserve(rows * dimension_);
  codes_.reserve(rows * dimension_);
  scales_.reserve(rows);
}

void UserVectors::upsert(std::int64_t row_id, MemoryTier tier, const std::string& category,
                         std::span<const float> values) {
  if (values.size() != dimension_) return;
  std::unique_lock lock(mutex_);
  auto found = index_of_.find(row_id);
  std::size_t slot;
  if (found == index_of_.end()) {
    slot = ids_.size();
    ids_.push_back(row_id);
    tiers_.push_back(tier);
    categories_.push_back(category_id(category));
    index_of_.emplace(row_id, slot);
    if (!graph_) {
      // Appended as they come rather than zeroed first and then overwritten.
      values_.insert(values_.end(), values.begin(), values.end());
      codes_.resize(codes_.size() + dimension_);
      scales_.push_back(0);
    }
  } else {
    slot = found->second;
    tiers_[slot] = tier;
    categories_[slot] = category_id(category);
  }
  if (graph_)
    graph_->add(row_id, values);
  else
    set_values(slot, values);
  note_change(row_id);
}

void UserVectors::remove(std::int64_t row_id) {
  std::unique_lock lock(mutex_);
  auto found = index_of_.find(row_id);
  if (found == index_of_.end()) return;
  std::size_t slot = found->second, last = ids_.size() - 1;
  index_of_.erase(found);
  // Swap-remove keeps the layout dense; the order of rows carries no meaning.
  if (slot != last) {
    ids_[slot] = ids_[last];
    tiers_[slot] = tiers_[last];
    categories_[slot] = categories_[last];
    if (!graph_) {
      std::copy_n(values_.begin() + static_cast<std::ptrdiff_t>(last * dimension_), dimension_,
                  values_.begin() + static_cast<std::ptrdiff_t>(slot * dimension_));
      std::copy_n(codes_.begin() + static_cast<std::ptrdiff_t>(last * dimension_), dimension_,
                  codes_.begin() + static_cast<std::ptrdiff_t>(slot * dimension_));
      scales_[slot] = scales_[last];
    }
    index_of_[ids_[slot]] = slot;
  }
  ids_.pop_back();
  tiers_.pop_back();
  categories_.pop_back();
  if (graph_) {
    graph_->remove(row_id);
  } else {
    values_.resize(last * dimension_);
    codes_.resize(last * dimension_);
    scales_.pop_back();
  }
  note_change(row_id);
}

void UserVectors::set_tier(std::int64_t row_id, MemoryTier tier) {
  std::unique_lock lock(mutex_);
  if (auto found = index_of_.find(row_id); found != index_of_.end()) tiers_[found->second] = tier;
}

std::vector<VectorMatch> UserVectors::nearest(std::span<const float> query,
                                              const MemoryFilter& filter, std::size_t limit) const {
  if (query.size() != dimension_ || limit == 0) return {};
  std::shared_lock lock(mutex_);
  return graph_ ? search_graph(query, filter, limit) : scan_flat(query, filter, limit);
}

std::vector<VectorMatch> UserVectors::scan_flat(std::span<const float> query,
                                                const MemoryFilter& filter,
                                                std::size_t limit) const {
  auto category = find_category(filter);
  if (filter.category && category == no_category) return {};
  // The query's own scale is a factor common to every approximate score: the order
  // ignores it.
  std::vector<std::int8_t> query_codes(dimension_);
  quantise_i8(query, query_codes.data());
  std::vector<Candidate> candidates;
  candidates.reserve(ids_.size());
  for (std::size_t slot = 0; slot < ids_.size(); ++slot) {
    if (!passes(slot, filter, category)) continue;
    auto approximate = static_cast<float>(dot_i8(query_codes.data(),
                                                 codes_.data() + slot * dimension_, dimension_)) *
                       scales_[slot];
    candidates.push_back({approximate, static_cast<std::uint32_t>(slot)});
  }
  auto pool = exact_pool(limit);
  if (candidates.size() > pool) {
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(pool),
                     candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    candidates.resize(pool);
  }
  std::vector<VectorMatch> exact;
  exact.reserve(candidates.size());
  for (const auto& c : candidates)
    exact.push_back(
        {ids_[c.slot], dot_f32(query.data(), values_.data() + c.slot * dimension_, dimension_)});
  return best_first(std::move(exact), limit);
}

std::vector<VectorMatch> UserVectors::search_graph(std::span<const float> query,
                                                   const MemoryFilter& filter,
                                                   std::size_t limit) const {
  if (!filter.category && !filter.tier) return graph_->nearest(query, limit);
  auto category = find_category(filter);
  if (filter.category && category == no_category) return {};
  std::size_t matching = 0;
  for (std::size_t slot = 0; slot < ids_.size(); ++slot)
    if (passes(slot, filter, category)) ++matching;
  if (matching == 0) return {};
  auto accept = [&](std::int64_t row_id) {
    auto found = index_of_.find(row_id);
    return found != index_of_.end() && passes(found->second, filter, category);
  };
  double share = static_cast<double>(matching) / static_cast<double>(ids_.size());
  if (share >= graph_filter_share) {
    // Ask for enough answers that about twice `limit` of them pass the filter.
    auto wanted = std::min(ids_.size(), static_cast<std::size_t>(2.0 * limit / share) + 1);
    std::vector<VectorMatch> kept;
    for (const auto& match : graph_->nearest(query, wanted))
      if (accept(match.row_id)) kept.push_back(match);
    if (kept.size() >= std::min(limit, matching)) return best_first(std::move(kept), limit);
  }
  return graph_->scan(query, limit, accept);
}

std::optional<double> UserVectors::similarity(std::span<const float> query,
                                              std::int64_t row_id) const {
  if (query.size() != dimension_) return std::nullopt;
  std::shared_lock lock(mutex_);
  if (graph_) return graph_->similarity(query, row_id);
  auto found = index_of_.find(row_id);
  if (found == index_of_.end()) return std::nullopt;
  return dot_f32(query.data(), values_.data() + found->second * dimension_, dimension_);
}

std::size_t UserVectors::size() const {
  std::shared_lock lock(mutex_);
  return ids_.size();
}

std::size_t UserVectors::bytes() const {
  std::shared_lock lock(mutex_);
  return values_.capacity() * sizeof(float) + codes_.capacity() +
         scales_.capacity() * sizeof(float) + ids_.capacity() * sizeof(std::int64_t) +
         tiers_.capacity() * sizeof(MemoryTier) + categories_.capacity() * sizeof(std::uint32_t) +
         index_of_.size() *
             (sizeof(std::pair<const std::int64_t, std::size_t>) + 2 * sizeof(void*)) +
         (graph_ ? graph_->bytes() : 0);
}

bool UserVectors::has_graph() const {
  std::shared_lock lock(mutex_);
  return graph_ != nullptr;
}

bool UserVectors::wants_graph(std::size_t threshold) const {
  std::shared_lock lock(mutex_);
  return !graph_ && !building_ && ids_.size() >= threshold;
}

UserVectors::Snapshot UserVectors::begin_graph() {
  std::unique_lock lock(mutex_);
  building_ = true;
  changed_while_building_.clear();
  return {ids_, values_};
}

void UserVectors::adopt_graph(std::unique_ptr<HnswIndex> graph) {
  std::unique_lock lock(mutex_);
  building_ = false;
  if (graph_ || !graph || graph->dimension() != dimension_) return;
  for (auto row_id : changed_while_building_) {
    auto found = index_of_.find(row_id);
    if (found == index_of_.end())
      graph->remove(row_id);
    else
      graph->add(row_id,
                 std::span<const float>(values_.data() + found->second * dimension_, dimension_));
  }
  changed_while_building_.clear();
  changed_while_building_.shrink_to_fit();
  graph_ = std::move(graph);
  graph_changed_ = true;
  // The graph holds the floats now; the flat copies would only take memory.
  std::vector<float>().swap(values_);
  std::vector<std::int8_t>().swap(codes_);
  std::vector<float>().swap(scales_);
}

void UserVectors::abandon_graph() {
  std::unique_lock lock(mutex_);
  building_ = false;
  changed_while_building_.clear();
}

bool UserVectors::graph_changed() const {
  std::shared_lock lock(mutex_);
  return graph_ && graph_changed_;
}

}  // namespace companion::core
