#pragma once
// The administrative command line: `companion migrate`, `companion user add|list`,
// `companion apikey create|list|revoke`. They work on the data folder directly, so they
// run with the server stopped or beside it (SQLite serialises the writers).
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/config.hpp"

namespace companion::app {

struct AdminCliPaths {
  std::optional<std::string>* config_path;
  std::optional<std::string>* data_dir;
};

// Registers the subcommands on `cli`. The returned function, called after parsing, runs the
// chosen one and gives its exit code, or nullopt when none of them was chosen.
std::function<std::optional<int>()> add_admin_commands(CLI::App& cli, AdminCliPaths paths,
                                                       std::function<Config()> load);

}  // namespace companion::app
