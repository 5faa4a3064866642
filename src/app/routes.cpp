#include "api/auth_routes.hpp"
#include "api/echo_routes.hpp"
#include "api/key_routes.hpp"
#include "api/profile_routes.hpp"
#include "api/stats_routes.hpp"
#include "api/system_routes.hpp"
#include "app/state.hpp"
#include "app/traffic_setup.hpp"
#include "store/sqlite/store_statistics.hpp"

namespace companion::app {

void register_routes(Companion::State& s) {
  auto& router = s.http.router();
  wire_system(s);  // health, system status, OpenAPI and docs
  wire_events(s);  // event bus, sessions, /ws, /api/sessions, /api/events/stream
  api::register_echo_routes(router);
  api::register_auth_routes(router, s.accounts);     // /api/auth/register|login|logout
  api::register_key_routes(router, s.accounts);      // /api/keys
  api::register_profile_routes(router, s.accounts);  // /api/profile/{user_id}
  wire_embeddings(s);          // lexicon, embedder, /v1/embeddings; before memory, which embeds
  wire_memory(s);              // /api/memory/* (AI Friend and Voice Assistant)
  wire_knowledge(s);           // /api/rag/*, /v1/ingestion/*, /v1/documents*
  wire_conversations(s);       // every chat API, characters, /v1/chat/completions
  register_metrics(s);         // /metrics (Prometheus) and /api/v1/metrics (Chattr)
  api::register_stats_routes(  // /stats (AI Friend, admin)
      router, {std::make_shared<store::sqlite::SqliteStoreStatistics>(s.database), s.sessions,
               s.metrics, s.health.get()});
}

}  // namespace companion::app
