#pragma once
// The composition root: builds stores, services, routes and the server from a Config.
// Tests run it in-process on an ephemeral port; main() runs it until a signal.
#include <cstdint>
#include <memory>

#include "app/config.hpp"
#include "app/plugins.hpp"

namespace companion::app {

class Companion {
 public:
  explicit Companion(Config config, Plugins plugins = {});
  ~Companion();
  Companion(const Companion&) = delete;
  Companion& operator=(const Companion&) = delete;

  // Binds and serves; returns the port. Throws std::runtime_error when it cannot.
  std::uint16_t start();
  // Graceful: stops accepting, finishes in-flight requests, closes WebSockets (1001) and
  // flushes the store.
  void stop();
  void wait();

  const Config& config() const;

  struct State;  // everything built from the config (app/state.hpp)
  State& state();

 private:
  std::unique_ptr<State> state_;
};

}  // namespace companion::app
