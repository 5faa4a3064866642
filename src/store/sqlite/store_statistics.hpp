#pragma once
#include <memory>

#include "core/system/store_statistics.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteStoreStatistics final : public core::StoreStatistics {
 public:
  explicit SqliteStoreStatistics(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  core::StoreTotals totals() override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
