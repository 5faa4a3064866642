#include "core/memory/hnsw_index.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "core/memory/vector_kernels.hpp"

// hnswlib is header-only and defines non-inline functions in its headers, so this is the
// one file that includes it; it is written without regard to -Wextra.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#include <hnswlib/hnswlib.h>
#pragma GCC diagnostic pop

namespace companion::core {

namespace {

// Cosine distance through our own dot product, which picks the processor's widest vector
// instructions at run time; hnswlib's own spaces decide at compile time and would stay on
// SSE in a portable build.
class CosineSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit CosineSpace(std::size_t dimension) : dimension_(dimension) {}
  std::size_t get_data_size() override { return dimension_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
  void* get_dist_func_param() override { return &dimension_; }

 private:
  static float distance(const void* a, const void* b, const void* dimension) {
    return 1.0f - dot_f32(static_cast<const float*>(a), static_cast<const float*>(b),
                          *static_cast<const std::size_t*>(dimension));
  }
  std::size_t dimension_;
};

using Hnsw = hnswlib::HierarchicalNSW<float>;

// The bytes saveIndex writes, to tell a complete file from one cut short by a full disk
// (the library does not check its writes).
std::uintmax_t saved_size(const Hnsw& h) {
  std::uintmax_t header = 9 * sizeof(std::size_t) + sizeof(int) + sizeof(hnswlib::tableint) +
                          sizeof(double) + sizeof(std::size_t);
  std::uintmax_t bytes = header + h.cur_element_count * h.size_data_per_element_;
  for (std::size_t i = 0; i < h.cur_element_count; ++i) {
    bytes += sizeof(unsigned int);
    if (h.element_levels_[i] > 0) bytes += h.size_links_per_element_ * h.element_levels_[i];
  }
  return bytes;
}

// Flushes the file to the disk, so the rename that follows never publishes a file whose
// blocks a power cut could still take away.
void sync_file(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + file.string());
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(error, std::generic_category(), "fsync " + file.string());
}

std::vector<VectorMatch> best_first(std::vector<VectorMatch> matches, std::size_t k) {
  if (matches.size() > k) {
    std::nth_element(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(k),
                     matches.end(), better_match);
    matches.resize(k);
  }
  std::sort(matches.begin(), matches.end(), better_match);
  return matches;
}

}  // namespace

struct HnswIndex::Graph {
  explicit Graph(std::size_t dimension) : space(dimension) {}
  CosineSpace space;  // the graph keeps a pointer to it: declared first, destroyed last
  std::unique_ptr<Hnsw> hnsw;
};

HnswIndex::HnswIndex(std::size_t dimension, HnswParams params)
    : dimension_(dimension), params_(params), graph_(std::make_unique<Graph>(dimension)) {}

HnswIndex::HnswIndex(std::size_t dimension, HnswParams params, std::size_t capacity)
    : HnswIndex(dimension, params) {
  graph_->hnsw = std::make_unique<Hnsw>(&graph_->space, std::max<std::size_t>(capacity, 16),
                                        params.links, params.ef_construction);
  graph_->hnsw->setEf(params.ef_search);
}

HnswIndex::~HnswIndex() = default;

std::unique_ptr<HnswIndex> HnswIndex::load(const std::filesystem::path& file, std::size_t dimension,
                                           HnswParams params) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return nullptr;
  std::unique_ptr<HnswIndex> index(new HnswIndex(dimension, params));
  try {
    index->graph_->hnsw = std::make_unique<Hnsw>(&index->graph_->space, file.string());
  } catch (const std::exception&) {
    return nullptr;  // truncated or not an index: rebuilt from the store
  }
  auto& h = *index->graph_->hnsw;
  if (h.label_offset_ - h.offsetData_ != dimension * sizeof(float)) return nullptr;
  // The loader counts removed nodes onto a field it never zeroed.
  h.num_deleted_ = 0;
  for (std::size_t i = 0; i < h.cur_element_count; ++i)
    if (h.isMarkedDeleted(static_cast<hnswlib::tableint>(i))) ++h.num_deleted_;
  h.setEf(params.ef_search);
  return index;
}

std::unique_ptr<HnswIndex> HnswIndex::build(std::size_t dimension, HnswParams params,
                                            std::span<const std::int64_t> rows,
                                            std::span<const float> values, std::size_t threads,
                                            const std::atomic<bool>& cancelled) {
  if (values.size() != rows.size() * dimension) return nullptr;
  auto index = std::make_unique<HnswIndex>(dimension, params, rows.size() + rows.size() / 8);
  auto& h = *index->graph_->hnsw;
  // The library links concurrent additions safely as long as no resize happens, which
  // the capacity above rules out.
  // The first node becomes the entry point; it is linked alone.
  if (!rows.empty()) h.addPoint(values.data(), static_cast<hnswlib::labeltype>(rows[0]));
  std::atomic<std::size_t> next{1};
  auto link = [&] {
    for (std::size_t i = next++; i < rows.size() && !cancelled; i = next++)
      h.addPoint(values.data() + i * dimension, static_cast<hnswlib::labeltype>(rows[i]));
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(link);
  link();
  for (auto& helper : helpers) helper.join();
  if (cancelled) return nullptr;
  return index;
}

void HnswIndex::save(const std::filesystem::path& file) const {
  auto temporary = file;
  temporary += ".tmp";
  graph_->hnsw->saveIndex(temporary.string());
  std::error_code ec;
  auto written = std::filesystem::file_size(temporary, ec);
  if (ec || written != saved_size(*graph_->hnsw)) {
    std::filesystem::remove(temporary, ec);
    throw std::runtime_error("could not write the vector index " + file.string());
  }
  sync_file(temporary);
  std::filesystem::rename(temporary, file);
}

void HnswIndex::add(std::int64_t row_id, std::span<const float> values) {
  if (values.size() != dimension_) return;
  auto& h = *graph_->hnsw;
  auto label = static_cast<hnswlib::labeltype>(row_id);
  if (h.cur_element_count >= h.max_elements_ && !h.label_lookup_.count(label))
    h.resizeIndex(h.max_elements_ * 2);
  h.addPoint(values.data(), label);
}

void HnswIndex::remove(std::int64_t row_id) {
  if (contains(row_id)) graph_->hnsw->markDelete(static_cast<hnswlib::labeltype>(row_id));
}

bool HnswIndex::contains(std::int64_t row_id) const {
  const auto& h = *graph_->hnsw;
  auto found = h.label_lookup_.find(static_cast<hnswlib::labeltype>(row_id));
  return found != h.label_lookup_.end() && !h.isMarkedDeleted(found->second);
}

std::size_t HnswIndex::size() const {
  return graph_->hnsw->cur_element_count - graph_->hnsw->num_deleted_;
}

std::size_t HnswIndex::removed() const {
  return graph_->hnsw->num_deleted_;
}

std::size_t HnswIndex::bytes() const {
  const auto& h = *graph_->hnsw;
  // The full layer, the upper layers (about one node in M has any), the label map and
  // the library's per-node locks.
  return h.max_elements_ *
             (h.size_data_per_element_ + sizeof(void*) + sizeof(int) + sizeof(std::mutex)) +
         h.cur_element_count *
             (h.size_links_per_element_ / std::max<std::size_t>(h.M_, 2) + 4 * sizeof(void*)) +
         Hnsw::max_update_element_locks * sizeof(std::mutex);
}

std::vector<VectorMatch> HnswIndex::nearest(std::span<const float> query, std::size_t k) const {
  std::vector<VectorMatch> out;
  if (query.size() != dimension_ || k == 0 || size() == 0) return out;
  auto found = graph_->hnsw->searchKnn(query.data(), k);
  out.reserve(found.size());
  for (; !found.empty(); found.pop()) {
    auto [distance, label] = found.top();
    out.push_back({static_cast<std::int64_t>(label), 1.0 - static_cast<double>(distance)});
  }
  std::sort(out.begin(), out.end(), better_match);
  return out;
}

std::vector<VectorMatch> HnswIndex::scan(std::span<const float> query, std::size_t k,
                                         const std::function<bool(std::int64_t)>& accept) const {
  std::vector<VectorMatch> all;
  if (query.size() != dimension_ || k == 0) return all;
  const auto& h = *graph_->hnsw;
  for (std::size_t i = 0; i < h.cur_element_count; ++i) {
    auto node = static_cast<hnswlib::tableint>(i);
    if (h.isMarkedDeleted(node)) continue;
    auto row_id = static_cast<std::int64_t>(h.getExternalLabel(node));
    if (!accept(row_id)) continue;
    const auto* values = reinterpret_cast<const float*>(h.getDataByInternalId(node));
    all.push_back({row_id, dot_f32(query.data(), values, dimension_)});
  }
  return best_first(std::move(all), k);
}

std::optional<double> HnswIndex::similarity(std::span<const float> query,
                                            std::int64_t row_id) const {
  const auto& h = *graph_->hnsw;
  if (query.size() != dimension_) return std::nullopt;
  auto found = h.label_lookup_.find(static_cast<hnswlib::labeltype>(row_id));
  if (found == h.label_lookup_.end() || h.isMarkedDeleted(found->second)) return std::nullopt;
  const auto* values = reinterpret_cast<const float*>(h.getDataByInternalId(found->second));
  return dot_f32(query.data(), values, dimension_);
}

}  // namespace companion::core
