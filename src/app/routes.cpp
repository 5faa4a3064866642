#include "api/auth_routes.hpp"
#include "api/echo_routes.hpp"
#include "api/key_routes.hpp"
#include "api/profile_routes.hpp"
#include "api/system_routes.hpp"
#include "app/state.hpp"
#include "app/traffic_setup.hpp"

namespace companion::app {

void register_routes(Companion::State& s) {
  auto& router = s.http.router();
  wire_system(s);  // health, system status, OpenAPI and docs
  wire_events(s);  // event bus, sessions, /ws, /api/sessions, /api/events/stream
  api::register_echo_routes(router);
  api::register_auth_routes(router, s.accounts);     // /api/auth/register|login|logout
  api::register_key_routes(router, s.accounts);      // /api/keys
  api::register_profile_routes(router, s.accounts);  // /api/profile/{user_id}
  register_metrics(s);  // /metrics (Prometheus) and /api/v1/metrics (Chattr)
}

}  // namespace companion::app
