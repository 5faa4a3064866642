#include "store/sqlite/store_statistics.hpp"

#include <filesystem>

namespace companion::store::sqlite {

namespace {

std::uint64_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

std::int64_t count_rows(Connection& c, const char* sql) {
  auto stmt = c.prepare(sql);
  return stmt.step() ? stmt.int64(0) : 0;
}

}  // namespace

core::StoreTotals SqliteStoreStatistics::totals() {
  core::StoreTotals t = db_->read([](Connection& c) {
    core::StoreTotals counted;
    counted.users = count_rows(c, "SELECT COUNT(*) FROM users");
    counted.conversations = count_rows(c, "SELECT COUNT(*) FROM sessions");
    counted.messages = count_rows(c, "SELECT COUNT(*) FROM messages");
    return counted;
  });
  t.database_bytes = file_size_or_zero(db_->path()) + file_size_or_zero(db_->path() + "-wal");
  return t;
}

}  // namespace companion::store::sqlite
