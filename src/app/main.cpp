// The command line: `companion serve|migrate|user|apikey`, --help everywhere.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include <CLI/CLI.hpp>

#include "app/admin_commands.hpp"
#include "app/companion.hpp"
#include "app/config.hpp"

using companion::app::Companion;
using companion::app::Config;

namespace {

struct CommonOptions {
  std::optional<std::string> config_path;
  std::optional<std::string> data_dir;
};

Config load(const CommonOptions& o) {
  Config c = companion::app::load_config(o.config_path);
  if (o.data_dir) c.data_dir = *o.data_dir;
  return c;
}

// Blocks until SIGINT or SIGTERM, without touching the server from a signal handler.
int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int serve(const CommonOptions& common, const std::optional<std::string>& host,
          const std::optional<int>& port) {
  Config config = load(common);
  if (host) config.server.host = *host;
  if (port) config.server.port = static_cast<std::uint16_t>(*port);
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Companion server(config);
  std::uint16_t bound = server.start();
  std::fprintf(stderr, "companion %s listening on http://%s:%u (data in %s)\n",
               config.version.c_str(), config.server.host.c_str(), bound, config.data_dir.c_str());
  int sig = wait_for_signal();
  std::fprintf(stderr, "received %s, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"companion: a self-hosted AI companion server"};
  cli.require_subcommand(1);
  CommonOptions common;
  cli.add_option("--config", common.config_path, "TOML configuration file");
  cli.add_option("--data-dir", common.data_dir, "where the database, audio and uploads live");

  auto* serve_cmd = cli.add_subcommand("serve", "run the server");
  std::optional<std::string> host;
  std::optional<int> port;
  serve_cmd->add_option("--host", host, "address to listen on (default 127.0.0.1)");
  serve_cmd->add_option("--port", port, "port to listen on (default 8000)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--config", common.config_path, "TOML configuration file");
  serve_cmd->add_option("--data-dir", common.data_dir, "data folder");

  auto run_admin_command = companion::app::add_admin_commands(
      cli, {&common.config_path, &common.data_dir}, [&] { return load(common); });

  CLI11_PARSE(cli, argc, argv);
  try {
    if (auto code = run_admin_command()) return *code;
    if (*serve_cmd) return serve(common, host, port);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "companion: %s\n", e.what());
    return 1;
  }
  return 0;
}
