#pragma once
// What the composition root owns, in construction order. Only app/ sees this.
#include <chrono>
#include <memory>

#include "app/companion.hpp"
#include "app/config.hpp"
#include "core/worker_pool.hpp"
#include "http/application.hpp"
#include "net/server.hpp"

namespace companion::app {

struct Companion::State {
  Config config;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
  std::unique_ptr<core::WorkerPool> workers;
  http::Application http;
  std::unique_ptr<net::Server> server;
};

// Registers every route of every API on the application (app/routes.cpp).
void register_routes(Companion::State& state);
// Installs the middleware chain in its order (app/middleware_setup.cpp).
void install_middleware(Companion::State& state);

}  // namespace companion::app
