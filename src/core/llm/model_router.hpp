#pragma once
// Which provider answers the model a client asked for. Clients write "offline",
// "offline/<x>", "openai/<model>", "ollama/<model>" (any registered provider's name works as
// the prefix), or a bare model name that some provider lists ("gpt-4o-mini"); nothing
// means the configured default.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/llm_provider.hpp"

namespace companion::core {

struct ResolvedModel {
  std::shared_ptr<LlmProvider> provider;
  std::string model;  // the provider's own name for it, without the prefix
  std::string id;     // "provider/model", as /v1/models lists it
};

// Immutable once built, so any number of threads may resolve at once.
class ModelRouter {
 public:
  // Providers are consulted in this order when a bare model name is looked up.
  ModelRouter(std::string default_model, std::vector<std::shared_ptr<LlmProvider>> providers);

  // Empty → the default. Throws LlmError unknown_model when no provider serves it.
  ResolvedModel resolve(std::string_view requested) const;

  // Every model of every provider, in provider order.
  std::vector<ModelInfo> list() const;

  const std::string& default_model() const { return default_model_; }
  const std::vector<std::shared_ptr<LlmProvider>>& providers() const { return providers_; }

 private:
  std::shared_ptr<LlmProvider> provider_named(std::string_view name) const;

  std::string default_model_;
  std::vector<std::shared_ptr<LlmProvider>> providers_;
};

}  // namespace companion::core
