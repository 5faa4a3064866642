#pragma once
// The adapter for Ollama's native chat API (POST /api/chat, NDJSON stream). Its /v1
// endpoint works through the OpenAI adapter too; the native one is what older Ollama
// versions support and reports its token counts on every reply.
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

// Models as Ollama names them: "llama3.2", "qwen2.5:7b".
struct OllamaProviderOptions : ModelEndpointOptions {
  OllamaProviderOptions() { base_url = "http://127.0.0.1:11434"; }
};

class OllamaProvider final : public core::LlmProvider {
 public:
  // Throws std::invalid_argument when the TLS options name a CA file that cannot be loaded.
  explicit OllamaProvider(OllamaProviderOptions options);

  std::string_view name() const override { return "ollama"; }
  core::GenerationResult generate(const core::GenerationRequest& request,
                                  const core::GenerationCallback& on_event) override;
  std::vector<core::ModelInfo> models() const override;

  // The JSON body a request is posted with.
  std::string request_body(const core::GenerationRequest& request) const;

 private:
  net::HttpClientRequest http_request(const core::GenerationRequest& request) const;

  OllamaProviderOptions options_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace companion::providers
