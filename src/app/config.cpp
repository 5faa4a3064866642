#include "app/config.hpp"

#include <cstdlib>
#include <stdexcept>

#include <toml++/toml.h>

namespace companion::app {

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

bool truthy(const std::string& v) {
  return v == "1" || v == "true" || v == "TRUE" || v == "True" || v == "yes" || v == "on";
}

template <class T>
T parse_number(const std::string& name, const std::string& text) {
  try {
    std::size_t used = 0;
    double d = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return static_cast<T>(d);
  } catch (const std::exception&) {
    throw std::runtime_error("setting " + name + " is not a number: " + text);
  }
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> string_list(const toml::node_view<toml::node>& node) {
  std::vector<std::string> out;
  if (auto* arr = node.as_array())
    for (auto& item : *arr)
      if (auto s = item.value<std::string>()) out.push_back(*s);
  return out;
}

// [llm.openai] / [llm.ollama]: any key present marks the endpoint as configured.
void apply_llm_endpoint(LlmEndpointConfig& e, toml::node_view<toml::node> t) {
  auto* table = t.as_table();
  if (table == nullptr) return;
  e.configured = e.configured || !table->empty();
  e.base_url = t["base_url"].value_or(e.base_url);
  e.api_key = t["api_key"].value_or(e.api_key);
  if (t["models"].as_array()) e.models = string_list(t["models"]);
  e.connect_timeout_ms = t["connect_timeout_ms"].value_or(e.connect_timeout_ms);
  e.first_token_timeout_ms = t["first_token_timeout_ms"].value_or(e.first_token_timeout_ms);
  e.deadline_ms = t["deadline_ms"].value_or(e.deadline_ms);
}

void apply_llm_file(LlmConfig& l, toml::node_view<toml::node> t) {
  l.default_model = t["default_model"].value_or(l.default_model);
  apply_llm_endpoint(l.openai, t["openai"]);
  apply_llm_endpoint(l.ollama, t["ollama"]);
  if (auto r = t["retry"]) {
    l.retry_attempts = r["attempts"].value_or(l.retry_attempts);
    l.retry_base_delay_ms = r["base_delay_ms"].value_or(l.retry_base_delay_ms);
    l.retry_max_delay_ms = r["max_delay_ms"].value_or(l.retry_max_delay_ms);
    l.retry_max_wait_ms = r["max_retry_after_ms"].value_or(l.retry_max_wait_ms);
  }
  if (auto b = t["circuit"]) {
    l.circuit_failure_threshold = b["failure_threshold"].value_or(l.circuit_failure_threshold);
    l.circuit_cooldown_ms = b["cooldown_ms"].value_or(l.circuit_cooldown_ms);
  }
}

void apply_llm_environment(LlmConfig& l) {
  if (auto v = env("COMPANION_LLM_MODEL")) l.default_model = *v;
  if (auto v = env("COMPANION_OPENAI_BASE_URL")) {
    l.openai.base_url = *v;
    l.openai.configured = true;
  }
  if (auto v = env("OPENAI_API_KEY")) {
    l.openai.api_key = *v;
    l.openai.configured = true;
  }
  if (auto v = env("COMPANION_OPENAI_MODELS")) {
    l.openai.models = split_list(*v);
    l.openai.configured = true;
  }
  if (auto v = env("COMPANION_OLLAMA_BASE_URL")) {
    l.ollama.base_url = *v;
    l.ollama.configured = true;
  }
  if (auto v = env("COMPANION_OLLAMA_MODELS")) {
    l.ollama.models = split_list(*v);
    l.ollama.configured = true;
  }
  if (l.retry_attempts < 1) throw std::runtime_error("llm retry attempts must be at least 1");
  if (l.circuit_failure_threshold < 1)
    throw std::runtime_error("llm circuit failure_threshold must be at least 1");
}

// [conversation]
void apply_conversation_file(ConversationConfig& v, toml::node_view<toml::node> t) {
  v.turn_threads = t["turn_threads"].value_or<int64_t>(v.turn_threads);
  v.turn_queue = t["turn_queue"].value_or<int64_t>(v.turn_queue);
  v.history_messages = t["history_messages"].value_or<int64_t>(v.history_messages);
  v.memories_per_turn = t["memories_per_turn"].value_or<int64_t>(v.memories_per_turn);
  v.passages_per_turn = t["passages_per_turn"].value_or<int64_t>(v.passages_per_turn);
  v.max_tool_rounds = t["max_tool_rounds"].value_or(v.max_tool_rounds);
  v.abandon_grace_ms = t["abandon_grace_ms"].value_or(v.abandon_grace_ms);
  v.keep_finished_ms = t["keep_finished_ms"].value_or(v.keep_finished_ms);
  if (v.turn_threads < 1) throw std::runtime_error("conversation.turn_threads must be at least 1");
}

// [search]
void apply_search_file(SearchConfig& v, toml::node_view<toml::node> t) {
  v.web_search_url = t["web_search_url"].value_or(v.web_search_url);
  v.wikipedia_api_url = t["wikipedia_api_url"].value_or(v.wikipedia_api_url);
  v.timeout_ms = t["timeout_ms"].value_or(v.timeout_ms);
  v.max_results = t["max_results"].value_or(v.max_results);
}

// "off" turns a search service off from the environment, where an empty value means unset.
std::string service_url(const std::string& value) {
  return value == "off" ? "" : value;
}

void apply_search_environment(SearchConfig& v) {
  if (auto url = env("COMPANION_SEARXNG_URL")) v.web_search_url = service_url(*url);
  if (auto url = env("COMPANION_WIKIPEDIA_API_URL")) v.wikipedia_api_url = service_url(*url);
  if (auto ms = env("COMPANION_SEARCH_TIMEOUT_MS"))
    v.timeout_ms = parse_number<std::int64_t>("COMPANION_SEARCH_TIMEOUT_MS", *ms);
  if (auto n = env("COMPANION_SEARCH_MAX_RESULTS"))
    v.max_results = parse_number<std::int64_t>("COMPANION_SEARCH_MAX_RESULTS", *n);
  if (v.timeout_ms < 1) throw std::runtime_error("search.timeout_ms must be at least 1");
  if (v.max_results < 1 || v.max_results > 50)
    throw std::runtime_error("search.max_results must be between 1 and 50");
}

void apply_file(Config& c, const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("cannot read config " + path + ": " + std::string(e.description()));
  }
  if (auto s = t["server"]) {
    c.server.host = s["host"].value_or(c.server.host);
    c.server.port = static_cast<std::uint16_t>(s["port"].value_or<int64_t>(c.server.port));
    c.server.io_threads = s["io_threads"].value_or<int64_t>(c.server.io_threads);
    c.server.max_connections = s["max_connections"].value_or<int64_t>(c.server.max_connections);
    c.access_log = s["access_log"].value_or(c.access_log);
  }
  c.data_dir = t["data_dir"].value_or(c.data_dir);
  c.log_level = t["log_level"].value_or(c.log_level);
  c.asset_dir = t["asset_dir"].value_or(c.asset_dir);
  c.health_refresh_ms = t["health_refresh_ms"].value_or(c.health_refresh_ms);
  c.worker_threads = t["workers"]["threads"].value_or<int64_t>(c.worker_threads);
  c.worker_queue = t["workers"]["queue"].value_or<int64_t>(c.worker_queue);
  c.event_history_per_session =
      t["events"]["history_per_session"].value_or<int64_t>(c.event_history_per_session);
  if (auto a = t["auth"]) {
    c.auth_mode = a["mode"].value_or(c.auth_mode);
    c.root_api_key = a["root_api_key"].value_or(c.root_api_key);
    c.jwt_secret = a["jwt_secret"].value_or(c.jwt_secret);
    c.jwt_ttl_seconds = a["jwt_ttl_seconds"].value_or(c.jwt_ttl_seconds);
  }
  if (auto m = t["memory"]) {
    c.memory_key = m["key"].value_or(c.memory_key);
    c.memory_expiry_interval_ms = m["expiry_interval_ms"].value_or(c.memory_expiry_interval_ms);
    c.memory_graph_threshold = m["graph_threshold"].value_or(c.memory_graph_threshold);
    c.memory_index_dir = m["index_dir"].value_or(c.memory_index_dir);
    c.memory_cache_mb = m["cache_mb"].value_or(c.memory_cache_mb);
    if (c.memory_graph_threshold < 1 || c.memory_cache_mb < 1)
      throw std::runtime_error("memory.graph_threshold and memory.cache_mb must be at least 1");
  }
  c.embedding_provider = t["embedding"]["provider"].value_or(c.embedding_provider);
  apply_llm_file(c.llm, t["llm"]);
  apply_conversation_file(c.conversation, t["conversation"]);
  apply_search_file(c.search, t["search"]);
  if (auto ing = t["ingestion"]) {
    c.ingestion_allow_private = ing["allow_private"].value_or(c.ingestion_allow_private);
    if (auto* arr = ing["allowed_hosts"].as_array()) {
      c.ingestion_allowed_hosts.clear();
      for (auto& h : *arr)
        if (auto s = h.value<std::string>()) c.ingestion_allowed_hosts.push_back(*s);
    }
  }
  if (auto cors = t["cors"]) {
    c.cors_allow_all = cors["allow_all_origins"].value_or(c.cors_allow_all);
    if (auto* arr = cors["allowed_origins"].as_array()) {
      c.cors_allowed_origins.clear();
      for (auto& o : *arr)
        if (auto s = o.value<std::string>()) c.cors_allowed_origins.push_back(*s);
    }
  }
  if (auto* limits = t["rate_limits"].as_table()) {
    for (auto& [group, rule] : *limits) {
      auto& r = c.rate_limits[std::string(group.str())];
      r.per_minute =
          rule.as_table() ? (*rule.as_table())["per_minute"].value_or(r.per_minute) : r.per_minute;
      r.burst = rule.as_table() ? (*rule.as_table())["burst"].value_or(r.per_minute) : r.burst;
    }
  }
}

}  // namespace

void apply_environment(Config& c) {
  if (auto v = env("API_PORT")) c.server.port = parse_number<std::uint16_t>("API_PORT", *v);
  if (auto v = env("COMPANION_PORT"))
    c.server.port = parse_number<std::uint16_t>("COMPANION_PORT", *v);
  if (auto v = env("COMPANION_HOST")) c.server.host = *v;
  if (auto v = env("COMPANION_DATA_DIR")) c.data_dir = *v;
  if (auto v = env("LOG_LEVEL")) c.log_level = *v;
  if (auto v = env("COMPANION_ACCESS_LOG")) c.access_log = truthy(*v);
  if (auto v = env("COMPANION_ASSET_DIR")) c.asset_dir = *v;
  if (auto v = env("COMPANION_HEALTH_REFRESH_MS"))
    c.health_refresh_ms = parse_number<std::int64_t>("COMPANION_HEALTH_REFRESH_MS", *v);
  if (auto v = env("COMPANION_IO_THREADS"))
    c.server.io_threads = parse_number<std::size_t>("COMPANION_IO_THREADS", *v);
  if (auto v = env("COMPANION_EVENT_HISTORY"))
    c.event_history_per_session = parse_number<std::size_t>("COMPANION_EVENT_HISTORY", *v);
  if (auto v = env("COMPANION_WORKER_THREADS"))
    c.worker_threads = parse_number<std::size_t>("COMPANION_WORKER_THREADS", *v);
  if (auto v = env("COMPANION_AUTH_MODE")) c.auth_mode = *v;
  if (auto v = env("ROOT_API_KEY")) c.root_api_key = *v;
  if (auto v = env("COMPANION_JWT_SECRET")) c.jwt_secret = *v;
  if (auto v = env("COMPANION_JWT_TTL_SECONDS"))
    c.jwt_ttl_seconds = parse_number<std::int64_t>("COMPANION_JWT_TTL_SECONDS", *v);
  if (auto v = env("COMPANION_MEMORY_KEY")) c.memory_key = *v;
  if (auto v = env("COMPANION_EMBEDDING_PROVIDER")) c.embedding_provider = *v;
  apply_llm_environment(c.llm);
  apply_search_environment(c.search);
  if (auto v = env("COMPANION_INGESTION_ALLOW_PRIVATE")) c.ingestion_allow_private = truthy(*v);
  if (auto v = env("COMPANION_INGESTION_ALLOWED_HOSTS")) c.ingestion_allowed_hosts = split_list(*v);
  if (auto v = env("CORS_ALLOW_ALL_ORIGINS")) c.cors_allow_all = truthy(*v);
  if (auto v = env("COMPANION_WS_MESSAGES_PER_SECOND"))
    c.websocket_messages_per_second = parse_number<double>("COMPANION_WS_MESSAGES_PER_SECOND", *v);
  if (auto v = env("COMPANION_CORS_ORIGINS")) c.cors_allowed_origins = split_list(*v);
  // COMPANION_RATE_LIMIT_<GROUP>=<per minute>, e.g. COMPANION_RATE_LIMIT_CHAT=120
  for (auto& [group, rule] : c.rate_limits) {
    std::string name = "COMPANION_RATE_LIMIT_";
    for (char ch : group) name += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (auto v = env(name.c_str())) {
      rule.per_minute = parse_number<double>(name, *v);
      rule.burst = rule.per_minute;
    }
  }
  if (c.auth_mode != "required" && c.auth_mode != "open")
    throw std::runtime_error("auth mode must be \"required\" or \"open\", not " + c.auth_mode);
}

Config load_config(const std::optional<std::string>& path) {
  Config c;
  if (auto v = env("COMPANION_CONFIG"); v && !path) apply_file(c, *v);
  if (path) apply_file(c, *path);
  apply_environment(c);
  return c;
}

}  // namespace companion::app
