#include "app/companion.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "app/accounts_setup.hpp"
#include "app/logging.hpp"
#include "app/state.hpp"

namespace companion::app {

Companion::Companion(Config config, Plugins plugins) : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.config = std::move(config);
  s.plugins = std::move(plugins);
  configure_logging(s.config);
  std::filesystem::create_directories(s.config.data_dir);
  std::size_t workers = s.config.worker_threads;
  if (workers == 0) workers = std::max(2u, std::thread::hardware_concurrency());
  s.workers = std::make_unique<core::WorkerPool>(workers, s.config.worker_queue);
  auto accounts = build_accounts(s.config, s.workers.get());
  s.database = std::move(accounts.database);
  s.accounts = std::move(accounts.accounts);
  announce_bootstrap_admin(*s.accounts);
  install_middleware(s);
  register_routes(s);
  s.metrics->track_routes(s.http.router());  // every route is known now
  // Chat turns that answer in one response hold a thread for as long as the model writes;
  // they share the turns' pool rather than the few workers short requests need.
  core::TaskExecutor& long_work = s.turn_pool ? *s.turn_pool : *s.workers;
  s.server = std::make_unique<net::Server>(s.config.server, s.http, *s.workers, long_work);
}

Companion::~Companion() {
  stop();
}

std::uint16_t Companion::start() {
  state_->started_at = std::chrono::steady_clock::now();
  if (state_->health) state_->health->start(*state_->workers);
  return state_->server->start();
}

void Companion::stop() {
  if (!state_ || !state_->server) return;
  state_->server->stop();
  if (state_->health) state_->health->stop();
  // Turns still streaming end as interrupted (stored as such) instead of holding shutdown
  // until a model finishes writing.
  if (state_->turn_sweeper) state_->turn_sweeper->stop();
  if (state_->turn_streams) state_->turn_streams->cancel_running();
  if (state_->turn_pool) state_->turn_pool->shutdown();
  state_->workers->shutdown();
}

void Companion::wait() {
  state_->server->wait();
}

const Config& Companion::config() const {
  return state_->config;
}
Companion::State& Companion::state() {
  return *state_;
}

}  // namespace companion::app
