// Wires long-term memory: the SQLite repository, the sealing key, the service (with the
// configured embedder and the event bus), the expiry sweep and the /api/memory routes.
#include <filesystem>

#include "api/memory_routes.hpp"
#include "app/state.hpp"
#include "core/accounts/jwt_secret_file.hpp"
#include "store/sqlite/memory_repository.hpp"

namespace companion::app {

namespace {

std::string memory_key(const Config& config) {
  if (!config.memory_key.empty()) return config.memory_key;
  return core::load_or_create_secret(std::filesystem::path(config.data_dir) / "memory.key");
}

}  // namespace

void wire_memory(Companion::State& s) {
  core::MemoryPorts ports;
  ports.repository = std::make_shared<store::sqlite::SqliteMemoryRepository>(s.database);
  ports.embedder = s.embedder;
  ports.events = s.events;
  ports.corpus = s.corpus_statistics;
  core::MemorySettings settings;
  settings.graph_threshold = static_cast<std::size_t>(s.config.memory_graph_threshold);
  settings.vector_cache_bytes = static_cast<std::size_t>(s.config.memory_cache_mb) << 20;
  settings.index_dir = s.config.memory_index_dir.empty()
                           ? (std::filesystem::path(s.config.data_dir) / "index").string()
                           : s.config.memory_index_dir;
  s.memory = std::make_shared<core::MemoryService>(
      std::move(ports), core::ContentCipher(memory_key(s.config)), settings);
  s.memory_expiry = std::make_unique<core::MemoryExpiryJob>(
      s.memory, std::chrono::milliseconds(s.config.memory_expiry_interval_ms));
  s.memory_expiry->start();
  api::register_memory_routes(s.http.router(), s.accounts, s.memory);
}

}  // namespace companion::app
