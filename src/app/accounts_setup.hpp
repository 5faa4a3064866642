#pragma once
// Storage and accounts for the composition root: opens the database, applies migrations,
// builds the AccountService and, at first start, the bootstrap admin key.
#include <memory>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "core/accounts/account_service.hpp"
#include "core/executor.hpp"
#include "store/sqlite/database.hpp"

namespace companion::app {

struct AccountsBundle {
  std::shared_ptr<store::sqlite::Database> database;
  std::shared_ptr<core::AccountService> accounts;
};

// `<data_dir>/companion.db`
std::string database_path(const Config& config);
// Opens the database and applies pending migrations.
std::shared_ptr<store::sqlite::Database> open_database(const Config& config);
// The JWT secret: the configured one, or the one kept in the data folder.
std::string jwt_secret_for(const Config& config);
AccountsBundle build_accounts(const Config& config, core::TaskExecutor* background);
// Creates the bootstrap admin key when needed and prints it once to stderr.
void announce_bootstrap_admin(core::AccountService& accounts);

}  // namespace companion::app
