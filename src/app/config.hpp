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

// One network model endpoint. Timeouts of 0 leave each request's own values in force.
struct LlmEndpointConfig {
  std::string base_url;
  std::string api_key;              // OpenAI-compatible endpoints only; empty: none sent
  std::vector<std::string> models;  // the names it serves, without the provider prefix
  std::int64_t connect_timeout_ms = 10'000;
  std::int64_t first_token_timeout_ms = 0;
  std::int64_t deadline_ms = 0;
  // Set when the operator configured the endpoint at all (a URL, a key or models); only
  // configured endpoints are offered to clients.
  bool configured = false;
};

// Language models: which one answers when a client names none, the network endpoints, and
// how patiently they are retried.
struct LlmConfig {
  std::string default_model = "offline/companion";
  LlmEndpointConfig openai{.base_url = "https://api.openai.com/v1"};
  LlmEndpointConfig ollama{.base_url = "http://127.0.0.1:11434"};
  int retry_attempts = 3;  // the first attempt included
  std::int64_t retry_base_delay_ms = 200;
  std::int64_t retry_max_delay_ms = 2'000;
  std::int64_t retry_max_wait_ms = 10'000;  // the longest Retry-After that is waited for
  int circuit_failure_threshold = 5;
  std::int64_t circuit_cooldown_ms = 30'000;
};

// The conversation engine: where turns run and how much context each gathers.
struct ConversationConfig {
  std::size_t turn_threads = 32;  // turns running at once (each holds a thread while it streams)
  std::size_t turn_queue = 1024;  // turns waiting for a thread; beyond: 503 / busy
  std::size_t history_messages = 20;
  std::size_t memories_per_turn = 5;
  std::size_t passages_per_turn = 3;
  int max_tool_rounds = 4;
  // A streaming turn whose clients all left is cancelled after this, unless one resumes it.
  std::int64_t abandon_grace_ms = 10'000;
  std::int64_t keep_finished_ms = 120'000;  // a finished reply stays resumable this long
};

// The conversation's search tools. Both services are the operator's choice, so they may be
// on loopback or the LAN.
struct SearchConfig {
  // A SearxNG instance ("http://127.0.0.1:8888"); empty: the web_search tool is not offered.
  std::string web_search_url;
  // A MediaWiki API; empty: the search_wikipedia tool is not offered. Offered by default:
  // it is a public API, and without a network its calls fail with a message, not a hang.
  std::string wikipedia_api_url = "https://en.wikipedia.org/w/api.php";
  std::int64_t timeout_ms = 8'000;  // one whole search, every request in it included
  std::int64_t max_results = 5;     // the most a call may ask for, and the default
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
  // Memory search: a user with at least this many memories is searched through an HNSW
  // graph instead of an exact scan; graphs are kept in memory_index_dir (empty:
  // <data_dir>/index) between runs; the in-memory indexes of all users share a bound.
  std::int64_t memory_graph_threshold = 20000;
  std::string memory_index_dir;
  std::int64_t memory_cache_mb = 256;

  // Embeddings for memory and document search: "local" (built in, WordNet-assisted, no
  // weights). The dictionary folder is found through WNSEARCHDIR or the package's default.
  std::string embedding_provider = "local";

  LlmConfig llm;
  ConversationConfig conversation;
  SearchConfig search;

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
