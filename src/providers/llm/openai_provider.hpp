#pragma once
// The adapter for any OpenAI-compatible chat-completions endpoint: OpenAI itself, Ollama's
// /v1, vLLM, llama.cpp's server, LM Studio, OpenRouter. It streams every request (SSE) so
// that tokens reach the user as the model writes them.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/llm/llm_provider.hpp"
#include "http/headers.hpp"
#include "net/http_client.hpp"
#include "providers/llm/generation_exchange.hpp"

namespace companion::providers {

struct OpenAiProviderOptions : ModelEndpointOptions {
  OpenAiProviderOptions() { base_url = "https://api.openai.com/v1"; }
  std::string api_key;  // empty: no Authorization header (local servers)
};

class OpenAiProvider final : public core::LlmProvider {
 public:
  // Throws std::invalid_argument when the TLS options name a CA file that cannot be loaded.
  explicit OpenAiProvider(OpenAiProviderOptions options);

  std::string_view name() const override { return "openai"; }
  core::GenerationResult generate(const core::GenerationRequest& request,
                                  const core::GenerationCallback& on_event) override;
  std::vector<core::ModelInfo> models() const override;

  // The JSON body a request is posted with (streaming, usage included).
  std::string request_body(const core::GenerationRequest& request) const;

 private:
  net::HttpClientRequest http_request(const core::GenerationRequest& request) const;

  OpenAiProviderOptions options_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace companion::providers
