#include "api/system_routes.hpp"
#include "app/state.hpp"

namespace companion::app {

void register_routes(Companion::State& s) {
  auto& router = s.http.router();
  api::register_system_routes(router, api::SystemInfo{s.config.version, s.started_at});
}

}  // namespace companion::app
