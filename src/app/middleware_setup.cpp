#include <memory>

#include "app/state.hpp"
#include "http/middleware/error_mapping.hpp"
#include "http/middleware/request_id.hpp"

namespace companion::app {

// Order matters: the request id is first so every later unit (and the log) can use it;
// error mapping is last so that it catches what handlers throw.
void install_middleware(Companion::State& s) {
  auto& chain = s.http.middleware();
  chain.add(std::make_shared<http::RequestId>());
  chain.add(std::make_shared<http::ErrorMapping>());
}

}  // namespace companion::app
