#pragma once
// Versioned schema migrations. Each runs once, in order, inside its own transaction, and
// is recorded in schema_migrations; a database newer than this binary is refused.
#include <string>
#include <vector>

#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Every migration this binary knows, in version order.
const std::vector<Migration>& migrations();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // "2: chat history" …
};

// Applies what is missing. Throws DatabaseError when a migration fails (that migration is
// rolled back; earlier ones stay applied) or when the database is newer than the binary.
MigrationReport migrate(Database& db);

}  // namespace companion::store::sqlite
