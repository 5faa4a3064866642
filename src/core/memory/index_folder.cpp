#include "core/memory/index_folder.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace companion::core {

namespace {

constexpr const char* stamp_format = "companion-memory-index 1";

std::string stamp_text(const IndexStamp& stamp) {
  std::ostringstream out;
  out << stamp_format << '\n'
      << stamp.space_id << '\n'
      << stamp.dimension << '\n'
      << stamp.revision << '\n';
  return out.str();
}

std::optional<IndexStamp> read_stamp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string format;
  IndexStamp stamp;
  if (!std::getline(in, format) || format != stamp_format) return std::nullopt;
  if (!std::getline(in, stamp.space_id)) return std::nullopt;
  if (!(in >> stamp.dimension >> stamp.revision)) return std::nullopt;
  return stamp;
}

void write_atomically(const std::filesystem::path& file, const std::string& text) {
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("could not write " + temporary.string());
  }
  std::filesystem::rename(temporary, file);
}

}  // namespace

std::filesystem::path IndexFolder::index_file(std::int64_t user_id) const {
  return folder_ / ("memory-" + std::to_string(user_id) + ".hnsw");
}

std::filesystem::path IndexFolder::stamp_file(std::int64_t user_id) const {
  return folder_ / ("memory-" + std::to_string(user_id) + ".hnsw.stamp");
}

std::unique_ptr<HnswIndex> IndexFolder::load(std::int64_t user_id, const IndexStamp& current,
                                             HnswParams params) const {
  if (!keeps_indexes()) return nullptr;
  auto stamp = read_stamp(stamp_file(user_id));
  if (!stamp || *stamp != current) return nullptr;
  return HnswIndex::load(index_file(user_id), current.dimension, params);
}

void IndexFolder::save(std::int64_t user_id, const HnswIndex& index,
                       const IndexStamp& stamp) const {
  if (!keeps_indexes()) return;
  std::filesystem::create_directories(folder_);
  std::filesystem::remove(stamp_file(user_id));
  index.save(index_file(user_id));
  write_atomically(stamp_file(user_id), stamp_text(stamp));
}

}  // namespace companion::core
