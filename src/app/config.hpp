#pragma once
// The one typed configuration: defaults, then a TOML file, then the environment, then
// command-line flags, each overriding the one before.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "net/server_options.hpp"

namespace companion::app {

struct RateRule {
  double per_minute = 100;  // sustained rate
  double burst = 100;       // bucket size
};

struct Config {
  net::ServerOptions server;
  std::string data_dir = "data";
  std::string log_level = "info";
  bool access_log = true;
  std::string asset_dir;                  // empty: "assets" next to the executable
  std::int64_t health_refresh_ms = 5000;  // how often health checks and resource samples run

  std::size_t worker_threads = 0;  // 0: max(2, cores)
  std::size_t worker_queue = 8192;
  std::size_t event_history_per_session = 256;  // events kept per session for replay

  // Auth. "required" (default) or "open": the Voice Assistant's trusted-network mode where
  // a request's user_id names the user without a credential. Open is insecure; opt in only.
  std::string auth_mode = "required";
  std::string root_api_key;  // ROOT_API_KEY: full access
  std::string jwt_secret;    // empty: generated once into the data folder
  std::int64_t jwt_ttl_seconds = 24 * 3600;
  // argon2id cost; the defaults are libsodium's "interactive" limits.
  std::uint64_t password_ops_limit = 2;
  std::size_t password_mem_limit = 64u << 20;

  bool cors_allow_all = false;
  std::vector<std::string> cors_allowed_origins;

  // Rate limits per route group, per principal (or per IP when anonymous).
  std::map<std::string, RateRule> rate_limits = {
      {"default", {100, 100}},
      {"chat", {60, 60}},
      {"auth", {20, 20}},
  };
  double websocket_messages_per_second = 20;  // AI Coach's inbound limit

  // Long-term memory. The key seals the personal tier; empty: generated once into
  // <data_dir>/memory.key (owner-only).
  std::string memory_key;
  std::int64_t memory_expiry_interval_ms = 60000;  // how often expired memories are deleted

  // Embeddings for memory and document search: "local" (built in, WordNet-assisted, no
  // weights). The dictionary folder is found through WNSEARCHDIR or the package's default.
  std::string embedding_provider = "local";

  // URL ingestion fetches only public addresses unless the operator allows private ones
  // (loopback, private networks, link-local) or names hosts/networks ("10.1.0.0/16").
  bool ingestion_allow_private = false;
  std::vector<std::string> ingestion_allowed_hosts;

  std::string version = COMPANION_VERSION;
};

// Reads the TOML file at `path` (when given) and the environment over the defaults.
// Throws std::runtime_error naming the bad setting.
Config load_config(const std::optional<std::string>& path);
void apply_environment(Config& config);

}  // namespace companion::app
