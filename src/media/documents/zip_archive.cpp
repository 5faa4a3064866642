#include "media/documents/zip_archive.hpp"

#include <zip.h>

#include <array>

namespace companion::media {

namespace {

constexpr std::size_t kReadBlock = 64 * 1024;

core::ExtractionError zip_failure(core::ExtractionErrorKind kind, const std::string& name,
                                  std::string_view what) {
  return {kind, "the document part " + name + " " + std::string(what)};
}

bool is_password_error(int code) {
  return code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP;
}

}  // namespace

std::unique_ptr<ZipArchive> ZipArchive::open(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return nullptr;
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    zip_source_free(source);  // on failure the source is still ours
    return nullptr;
  }
  return std::unique_ptr<ZipArchive>(new ZipArchive(archive));
}

ZipArchive::~ZipArchive() {
  zip_discard(archive_);
}

bool ZipArchive::contains(const std::string& name) const {
  return zip_name_locate(archive_, name.c_str(), 0) >= 0;
}

std::variant<std::string, core::ExtractionError> ZipArchive::read(const std::string& name,
                                                                  std::size_t max_bytes) const {
  using Kind = core::ExtractionErrorKind;
  const zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
  if (index < 0) return zip_failure(Kind::corrupt, name, "is missing");
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
    return zip_failure(Kind::corrupt, name, "is damaged");
  }
  if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > max_bytes) {
    return zip_failure(Kind::too_large, name, "unpacks to more bytes than the limit allows");
  }
  zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    const int code = zip_error_code_zip(zip_get_error(archive_));
    if (is_password_error(code)) return zip_failure(Kind::encrypted, name, "is password-protected");
    return zip_failure(Kind::corrupt, name, "cannot be unpacked");
  }
  std::string content;
  std::array<char, kReadBlock> block;
  zip_int64_t got = 0;
  // The declared size can lie: count what actually comes out.
  while ((got = zip_fread(file, block.data(), block.size())) > 0) {
    if (content.size() + static_cast<std::size_t>(got) > max_bytes) {
      zip_fclose(file);
      return zip_failure(Kind::too_large, name, "unpacks to more bytes than the limit allows");
    }
    content.append(block.data(), static_cast<std::size_t>(got));
  }
  zip_fclose(file);
  if (got < 0) return zip_failure(Kind::corrupt, name, "is damaged (bad compressed data)");
  return content;
}

}  // namespace companion::media
