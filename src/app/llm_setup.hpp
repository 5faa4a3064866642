#pragma once
// Builds the language-model router from the configuration: the offline engine, plus each
// network endpoint the operator configured, wrapped in retries and a circuit breaker.
#include <memory>
#include <vector>

#include "app/config.hpp"
#include "core/llm/llm_provider.hpp"
#include "core/llm/model_router.hpp"

namespace companion::app {

// `offline` (may be null) is registered first, so a bare model name that several providers
// list goes to it. Network providers are core::ResilientProvider instances; their counters
// are reached through the router's providers(). Throws std::runtime_error when the default
// model is served by no configured provider, and std::invalid_argument for TLS trust files
// that cannot be loaded.
// `embedded` providers come last, as they are.
std::shared_ptr<core::ModelRouter> build_model_router(
    const LlmConfig& config, std::shared_ptr<core::LlmProvider> offline,
    std::vector<std::shared_ptr<core::LlmProvider>> embedded = {});

}  // namespace companion::app
