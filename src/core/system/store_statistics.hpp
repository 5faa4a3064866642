#pragma once
// Totals the store counts for the administrator's /stats view.
#include <cstdint>

namespace companion::core {

struct StoreTotals {
  std::int64_t users = 0;
  std::int64_t conversations = 0;  // sessions of the conversation store
  std::int64_t messages = 0;
  std::uint64_t database_bytes = 0;  // the database file and its write-ahead log
};

class StoreStatistics {
 public:
  virtual ~StoreStatistics() = default;
  // Blocking: reads the store. Call from the worker pool.
  virtual StoreTotals totals() = 0;
};

}  // namespace companion::core
