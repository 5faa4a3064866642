#pragma once
// Read-only access to a zip held in memory (libzip), with every read bounded: an entry
// whose declared or actual uncompressed size passes the limit is refused, so a zip bomb
// costs at most the limit in memory and time.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "core/knowledge/document_extractor.hpp"

struct zip;

namespace companion::media {

class ZipArchive {
 public:
  // The archive borrows `bytes`, which must outlive it. Null when the bytes are no zip.
  static std::unique_ptr<ZipArchive> open(std::string_view bytes);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool contains(const std::string& name) const;
  // The entry's uncompressed bytes, or why they cannot be had (missing or damaged:
  // corrupt; password-protected: encrypted; over `max_bytes`: too_large).
  std::variant<std::string, core::ExtractionError> read(const std::string& name,
                                                        std::size_t max_bytes) const;

 private:
  explicit ZipArchive(struct zip* archive) : archive_(archive) {}
  struct zip* archive_;
};

}  // namespace companion::media
