#include "app/accounts_setup.hpp"

#include <cstdio>
#include <filesystem>

#include "core/accounts/jwt_secret_file.hpp"
#include "store/sqlite/account_repositories.hpp"
#include "store/sqlite/migrations.hpp"

namespace companion::app {

std::string database_path(const Config& config) {
  return (std::filesystem::path(config.data_dir) / "companion.db").string();
}

std::shared_ptr<store::sqlite::Database> open_database(const Config& config) {
  std::filesystem::create_directories(config.data_dir);
  auto db = std::make_shared<store::sqlite::Database>(database_path(config));
  store::sqlite::migrate(*db);
  return db;
}

std::string jwt_secret_for(const Config& config) {
  if (!config.jwt_secret.empty()) return config.jwt_secret;
  return core::load_or_create_secret(std::filesystem::path(config.data_dir) / "jwt_secret");
}

AccountsBundle build_accounts(const Config& config, core::TaskExecutor* background) {
  AccountsBundle b;
  b.database = open_database(config);
  core::AccountSettings settings;
  settings.root_api_key = config.root_api_key;
  settings.jwt_secret = jwt_secret_for(config);
  settings.jwt_ttl_seconds = config.jwt_ttl_seconds;
  settings.password_ops_limit = config.password_ops_limit;
  settings.password_mem_limit = config.password_mem_limit;
  core::AccountPorts ports;
  ports.users = std::make_shared<store::sqlite::SqliteUserRepository>(b.database);
  ports.keys = std::make_shared<store::sqlite::SqliteApiKeyRepository>(b.database);
  ports.revoked = std::make_shared<store::sqlite::SqliteRevokedTokenRepository>(b.database);
  ports.background = background;
  b.accounts = std::make_shared<core::AccountService>(std::move(settings), std::move(ports));
  return b;
}

void announce_bootstrap_admin(core::AccountService& accounts) {
  auto created = accounts.bootstrap_admin();
  if (!created) return;
  std::fprintf(stderr,
               "companion: created admin user \"%s\" with API key:\n\n    %s\n\n"
               "companion: store this key now; it will not be shown again.\n",
               created->record.username.c_str(), created->secret.c_str());
}

}  // namespace companion::app
