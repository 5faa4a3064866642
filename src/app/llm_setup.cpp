#include "app/llm_setup.hpp"

#include <optional>
#include <stdexcept>

#include "core/llm/resilient_provider.hpp"
#include "providers/llm/ollama_provider.hpp"
#include "providers/llm/openai_provider.hpp"

namespace companion::app {

namespace {

using std::chrono::milliseconds;

std::optional<milliseconds> optional_ms(std::int64_t value) {
  if (value <= 0) return std::nullopt;
  return milliseconds(value);
}

core::ResilienceOptions resilience_options(const LlmConfig& config) {
  core::ResilienceOptions out;
  out.retry.max_attempts = config.retry_attempts;
  out.retry.base_delay = milliseconds(config.retry_base_delay_ms);
  out.retry.max_delay = milliseconds(config.retry_max_delay_ms);
  out.retry.max_retry_after = milliseconds(config.retry_max_wait_ms);
  out.circuit.failure_threshold = config.circuit_failure_threshold;
  out.circuit.cooldown = milliseconds(config.circuit_cooldown_ms);
  return out;
}

template <class Options>
Options endpoint_options(const LlmEndpointConfig& endpoint) {
  Options out;
  out.base_url = endpoint.base_url;
  out.models = endpoint.models;
  out.connect_timeout = milliseconds(endpoint.connect_timeout_ms);
  out.first_token_timeout = optional_ms(endpoint.first_token_timeout_ms);
  out.deadline = optional_ms(endpoint.deadline_ms);
  return out;
}

std::shared_ptr<core::LlmProvider> openai_provider(const LlmConfig& config) {
  auto options = endpoint_options<providers::OpenAiProviderOptions>(config.openai);
  options.api_key = config.openai.api_key;
  return std::make_shared<core::ResilientProvider>(
      std::make_shared<providers::OpenAiProvider>(std::move(options)), resilience_options(config));
}

std::shared_ptr<core::LlmProvider> ollama_provider(const LlmConfig& config) {
  auto options = endpoint_options<providers::OllamaProviderOptions>(config.ollama);
  return std::make_shared<core::ResilientProvider>(
      std::make_shared<providers::OllamaProvider>(std::move(options)), resilience_options(config));
}

}  // namespace

std::shared_ptr<core::ModelRouter> build_model_router(
    const LlmConfig& config, std::shared_ptr<core::LlmProvider> offline,
    std::vector<std::shared_ptr<core::LlmProvider>> embedded) {
  std::vector<std::shared_ptr<core::LlmProvider>> providers;
  if (offline) providers.push_back(std::move(offline));
  // The OpenAI endpoint has a default URL, but without a key, a URL of the operator's own
  // or a model list it would only answer 401s.
  if (config.openai.configured) providers.push_back(openai_provider(config));
  if (config.ollama.configured) providers.push_back(ollama_provider(config));
  for (auto& provider : embedded) providers.push_back(std::move(provider));
  auto router = std::make_shared<core::ModelRouter>(config.default_model, std::move(providers));
  try {
    router->resolve(config.default_model);
  } catch (const core::LlmError& e) {
    throw std::runtime_error("llm.default_model: " + std::string(e.what()));
  }
  return router;
}

}  // namespace companion::app
