#pragma once
// What the composition root owns, in construction order. Only app/ sees this.
#include <chrono>
#include <memory>

#include "api/chat_support.hpp"
#include "api/system_routes.hpp"
#include "api/voice_messages.hpp"
#include "app/companion.hpp"
#include "app/config.hpp"
#include "core/accounts/account_service.hpp"
#include "core/embedding/corpus_observer.hpp"
#include "core/embedding/embedder.hpp"
#include "core/embedding/lexicon.hpp"
#include "core/events/event_bus.hpp"
#include "core/health/health_monitor.hpp"
#include "core/knowledge/knowledge_service.hpp"
#include "core/memory/expiry_job.hpp"
#include "core/memory/memory_service.hpp"
#include "core/periodic_task.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "core/sessions/session_registry.hpp"
#include "core/worker_pool.hpp"
#include "http/application.hpp"
#include "http/metrics/request_metrics.hpp"
#include "net/server.hpp"

namespace companion::http {
class AccessLog;
}
namespace companion::core {
class CharacterService;
class EmotionAnalyzer;
class IntentDetector;
class ModelRouter;
class StageStatistics;
}  // namespace companion::core
namespace companion::store::sqlite {
class Database;
}

namespace companion::app {

struct Companion::State {
  Config config;
  Plugins plugins;  // adapters an embedding program added in code
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
  std::unique_ptr<core::WorkerPool> workers;
  http::Application http;
  std::unique_ptr<net::Server> server;
  // Storage and accounts (app/accounts_setup.cpp): built before the middleware.
  std::shared_ptr<store::sqlite::Database> database;
  std::shared_ptr<core::AccountService> accounts;
  // Traffic (app/traffic_setup.cpp): request counters, the rate-limit backend, the access
  // log (null when off).
  std::shared_ptr<http::metrics::RequestMetrics> metrics =
      std::make_shared<http::metrics::RequestMetrics>();
  std::shared_ptr<core::RateLimiter> rate_limiter;
  std::shared_ptr<http::AccessLog> access_log;
  std::unique_ptr<core::HealthMonitor> health;  // checks + resource sampling (system_wiring.cpp)
  api::SystemProviders system;  // what features report to /health, /api/system/status
  // Events and Voice Assistant sessions (app/events_wiring.cpp, wired right after wire_system).
  std::shared_ptr<core::EventBus> events;
  std::shared_ptr<core::SessionRegistry> sessions;
  // /ws message types beyond ping/subscribe/unsubscribe ("chat", "music_control"): add
  // handlers here before the server starts.
  api::VoiceMessageHandlers voice_messages;
  // Knowledge: the configured embedding provider (built from Config before the routes).
  std::shared_ptr<core::Embedder> embedder;
  // The lexical database (WordNet) for embeddings and text analysis; never null, possibly
  // unavailable. The corpus statistics sink is set when the embedder keeps any (local):
  // report indexed documents there, never queries. Both built by wire_embeddings.
  std::shared_ptr<core::Lexicon> lexicon;
  std::shared_ptr<core::CorpusObserver> corpus_statistics;
  // Long-term memory (app/memory_wiring.cpp): the service and its expiry sweep.
  std::shared_ptr<core::MemoryService> memory;
  std::unique_ptr<core::MemoryExpiryJob> memory_expiry;
  // Document knowledge, RAG (app/knowledge_wiring.cpp).
  std::shared_ptr<core::KnowledgeService> knowledge;
  // The conversation engine (app/conversation_wiring.cpp): characters, analysers, models,
  // the turn pool and resumable turn streams, and what the chat routes share.
  std::shared_ptr<core::CharacterService> characters;
  std::shared_ptr<core::EmotionAnalyzer> emotions;
  std::shared_ptr<core::IntentDetector> intents;
  std::shared_ptr<core::ModelRouter> models;
  std::shared_ptr<core::StageStatistics> stages;
  std::shared_ptr<core::WorkerPool> turn_pool;
  std::shared_ptr<core::TurnStreams> turn_streams;
  std::shared_ptr<core::TurnRunner> turns;
  std::unique_ptr<core::PeriodicTask> turn_sweeper;
  std::shared_ptr<api::ChatDeps> chat;
};

// Registers every route of every API on the application (app/routes.cpp).
void register_routes(Companion::State& state);
// Installs the middleware chain in its order (app/middleware_setup.cpp).
void install_middleware(Companion::State& state);
// Health checks, system and documentation routes (app/system_wiring.cpp).
void wire_system(Companion::State& state);
// The event bus, the session registry and their routes (app/events_wiring.cpp).
void wire_events(Companion::State& state);
// The lexicon, the configured embedder and /v1/embeddings (app/embedding_wiring.cpp);
// before anything that embeds.
void wire_embeddings(Companion::State& state);
// Long-term memory, its expiry job and its routes (app/memory_wiring.cpp).
void wire_memory(Companion::State& state);
// Document knowledge: extraction, chunking, hybrid search and its routes
// (app/knowledge_wiring.cpp); after wire_embeddings.
void wire_knowledge(Companion::State& state);
// The conversation engine and every chat route (app/conversation_wiring.cpp); after memory
// and knowledge, which it uses.
void wire_conversations(Companion::State& state);

}  // namespace companion::app
