#include "app/admin_commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/accounts_setup.hpp"
#include "http/time_format.hpp"
#include "store/sqlite/migrations.hpp"

namespace companion::app {

namespace {

struct Choices {
  std::string username;
  bool admin = false;
  std::optional<std::string> password;
  std::string key_name = "api key";
  std::vector<std::string> origins, hosts, cidrs;
  std::int64_t key_id = 0;
};

void add_paths(CLI::App* cmd, AdminCliPaths paths) {
  cmd->add_option("--config", *paths.config_path, "TOML configuration file");
  cmd->add_option("--data-dir", *paths.data_dir, "data folder");
}

int run_migrate(const Config& config) {
  std::filesystem::create_directories(config.data_dir);
  auto db = std::make_shared<store::sqlite::Database>(database_path(config));
  auto report = store::sqlite::migrate(*db);
  for (const auto& m : report.applied) std::printf("applied migration %s\n", m.c_str());
  std::printf("schema at version %d (%s)\n", report.to_version, database_path(config).c_str());
  return 0;
}

int run_user_add(const Config& config, const Choices& c) {
  auto bundle = build_accounts(config, nullptr);
  core::NewUser user;
  user.username = c.username;
  user.role = c.admin ? core::Role::Admin : core::Role::User;
  std::string password = c.password.value_or("");
  if (password.empty())
    if (const char* env = std::getenv("COMPANION_PASSWORD")) password = env;
  if (!password.empty() && password.size() < 8) {
    std::fprintf(stderr, "companion: the password must have at least 8 characters\n");
    return 2;
  }
  auto added = bundle.accounts->add_user(user, password);
  if (!added.ok()) {
    std::fprintf(stderr, "companion: %s\n",
                 added.error() == core::AccountError::UsernameTaken
                     ? "a user with that name already exists"
                     : "usernames are 1-64 characters of A-Z a-z 0-9 _ . @ -");
    return 1;
  }
  std::printf("created %s \"%s\" (id %lld)%s\n", c.admin ? "admin" : "user",
              added->username.c_str(), static_cast<long long>(added->id),
              password.empty() ? "; no password: it signs in with API keys only" : "");
  return 0;
}

int run_user_list(const Config& config) {
  auto bundle = build_accounts(config, nullptr);
  std::printf("%-6s %-24s %-6s %s\n", "ID", "USERNAME", "ROLE", "CREATED");
  for (const auto& u : bundle.accounts->list_users())
    std::printf("%-6lld %-24s %-6s %s\n", static_cast<long long>(u.id), u.username.c_str(),
                u.role == core::Role::Admin ? "admin" : "user",
                http::iso8601_from_unix(u.created_at).c_str());
  return 0;
}

int run_key_create(const Config& config, const Choices& c) {
  auto bundle = build_accounts(config, nullptr);
  core::AllowList allow{c.origins, c.hosts, c.cidrs};
  auto created = bundle.accounts->create_api_key(c.username, c.key_name, allow);
  if (!created.ok()) {
    std::fprintf(stderr, "companion: %s\n",
                 created.error() == core::AccountError::UnknownUser ? "no user with that name"
                                                                    : created.detail.c_str());
    return 1;
  }
  std::printf("%s\n", created->secret.c_str());
  std::fprintf(stderr, "created API key %lld for \"%s\"; it will not be shown again.\n",
               static_cast<long long>(created->record.id), created->record.username.c_str());
  return 0;
}

int run_key_list(const Config& config) {
  auto bundle = build_accounts(config, nullptr);
  std::printf("%-6s %-12s %-20s %-24s %-8s %s\n", "ID", "PREFIX", "OWNER", "NAME", "STATE",
              "ALLOW-LIST");
  for (const auto& k : bundle.accounts->list_api_keys()) {
    std::string allow;
    auto add = [&](const char* kind, const std::vector<std::string>& items) {
      for (const auto& i : items) allow += std::string(allow.empty() ? "" : " ") + kind + "=" + i;
    };
    add("origin", k.allow_list.origins);
    add("host", k.allow_list.hosts);
    add("cidr", k.allow_list.cidrs);
    std::printf("%-6lld %-12s %-20s %-24s %-8s %s\n", static_cast<long long>(k.id),
                k.prefix.c_str(), k.username.c_str(), k.name.c_str(),
                k.revoked_at ? "revoked" : "active", allow.empty() ? "-" : allow.c_str());
  }
  return 0;
}

int run_key_revoke(const Config& config, const Choices& c) {
  auto bundle = build_accounts(config, nullptr);
  if (!bundle.accounts->revoke_api_key(c.key_id)) {
    std::fprintf(stderr, "companion: no API key with id %lld\n", static_cast<long long>(c.key_id));
    return 1;
  }
  std::printf("revoked API key %lld\n", static_cast<long long>(c.key_id));
  return 0;
}

}  // namespace

std::function<std::optional<int>()> add_admin_commands(CLI::App& cli, AdminCliPaths paths,
                                                       std::function<Config()> load) {
  auto c = std::make_shared<Choices>();

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations and exit");
  add_paths(migrate, paths);

  auto* user = cli.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create a user");
  user_add->add_option("username", c->username, "the new user's name")->required();
  user_add->add_flag("--admin", c->admin, "give the user the admin role");
  user_add->add_option("--password", c->password,
                       "password (or env COMPANION_PASSWORD; none: API keys only)");
  add_paths(user_add, paths);
  auto* user_list = user->add_subcommand("list", "list users");
  add_paths(user_list, paths);

  auto* key = cli.add_subcommand("apikey", "manage API keys");
  key->require_subcommand(1);
  auto* key_create = key->add_subcommand("create", "create an API key and print it once");
  key_create->add_option("username", c->username, "owner of the key")->required();
  key_create->add_option("--name", c->key_name, "a label for the key");
  key_create->add_option("--allow-origin", c->origins, "allowed Origin/Referer (repeatable)");
  key_create->add_option("--allow-host", c->hosts, "allowed Host header (repeatable)");
  key_create->add_option("--allow-cidr", c->cidrs, "allowed client IP or CIDR (repeatable)");
  add_paths(key_create, paths);
  auto* key_list = key->add_subcommand("list", "list API keys (without secrets)");
  add_paths(key_list, paths);
  auto* key_revoke = key->add_subcommand("revoke", "revoke an API key");
  key_revoke->add_option("id", c->key_id, "the key's id (see apikey list)")->required();
  add_paths(key_revoke, paths);

  return [=]() -> std::optional<int> {
    if (*migrate) return run_migrate(load());
    if (*user_add) return run_user_add(load(), *c);
    if (*user_list) return run_user_list(load());
    if (*key_create) return run_key_create(load(), *c);
    if (*key_list) return run_key_list(load());
    if (*key_revoke) return run_key_revoke(load(), *c);
    return std::nullopt;
  };
}

}  // namespace companion::app
