#pragma once
// Adapters built in code rather than named by the configuration, for programs that embed
// the server (its own tests and benchmarks among them). They join the configured ones.
#include <memory>
#include <vector>

#include "core/llm/llm_provider.hpp"

namespace companion::app {

struct Plugins {
  // Registered after the configured providers: "<provider name>/<model>" reaches them and
  // llm.default_model may name one.
  std::vector<std::shared_ptr<core::LlmProvider>> llm_providers;
};

}  // namespace companion::app
