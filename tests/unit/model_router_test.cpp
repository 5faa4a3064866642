// Which provider answers the model a client names, and how the configuration decides
// which providers exist.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "app/config.hpp"
#include "app/llm_setup.hpp"
#include "core/llm/model_router.hpp"
#include "core/llm/resilient_provider.hpp"

using companion::core::GenerationCallback;
using companion::core::GenerationRequest;
using companion::core::GenerationResult;
using companion::core::LlmError;
using companion::core::LlmProvider;
using companion::core::ModelInfo;
using companion::core::ModelRouter;
using companion::core::ResilientProvider;

namespace {

class NamedProvider : public LlmProvider {
 public:
  NamedProvider(std::string name, std::vector<std::string> models)
      : name_(std::move(name)), models_(std::move(models)) {}
  std::string_view name() const override { return name_; }
  GenerationResult generate(const GenerationRequest&, const GenerationCallback&) override {
    return {};
  }
  std::vector<ModelInfo> models() const override {
    std::vector<ModelInfo> out;
    for (const auto& model : models_) out.push_back({name_ + "/" + model, name_, name_, ""});
    return out;
  }

 private:
  std::string name_;
  std::vector<std::string> models_;
};

struct Providers {
  std::shared_ptr<LlmProvider> offline =
      std::make_shared<NamedProvider>("offline", std::vector<std::string>{"companion"});
  std::shared_ptr<LlmProvider> openai = std::make_shared<NamedProvider>(
      "openai", std::vector<std::string>{"gpt-4o-mini", "shared-name", "meta-llama/Llama-3-8B"});
  std::shared_ptr<LlmProvider> ollama = std::make_shared<NamedProvider>(
      "ollama", std::vector<std::string>{"llama3.2", "shared-name"});

  ModelRouter router(std::string default_model = "offline/companion") const {
    return ModelRouter(std::move(default_model), {offline, openai, ollama});
  }
};

LlmError::Kind failure_of(const ModelRouter& router, std::string_view requested) {
  try {
    router.resolve(requested);
  } catch (const LlmError& e) {
    return e.kind();
  }
  ADD_FAILURE() << requested << " resolved";
  return LlmError::Kind::bad_request;
}

}  // namespace

TEST(ModelRouter, EmptyMeansTheDefault) {
  Providers p;
  auto resolved = p.router("ollama/llama3.2").resolve("");
  EXPECT_EQ(resolved.provider, p.ollama);
  EXPECT_EQ(resolved.model, "llama3.2");
  EXPECT_EQ(resolved.id, "ollama/llama3.2");
}

TEST(ModelRouter, ProviderPrefixChoosesTheProviderAndStrips) {
  Providers p;
  auto router = p.router();
  auto openai = router.resolve("openai/gpt-4o");  // not listed: the endpoint may serve it
  EXPECT_EQ(openai.provider, p.openai);
  EXPECT_EQ(openai.model, "gpt-4o");
  auto offline = router.resolve("offline/poet");
  EXPECT_EQ(offline.provider, p.offline);
  EXPECT_EQ(offline.model, "poet");
  // Only the first slash separates: model names have their own.
  auto nested = router.resolve("openai/meta-llama/Llama-3-8B");
  EXPECT_EQ(nested.provider, p.openai);
  EXPECT_EQ(nested.model, "meta-llama/Llama-3-8B");
}

TEST(ModelRouter, BareProviderNameMeansItsFirstModel) {
  Providers p;
  auto resolved = p.router().resolve("offline");
  EXPECT_EQ(resolved.provider, p.offline);
  EXPECT_EQ(resolved.model, "companion");
  EXPECT_EQ(resolved.id, "offline/companion");
}

TEST(ModelRouter, BareModelNameIsFoundAmongListedModelsFirstProviderFirst) {
  Providers p;
  auto router = p.router();
  auto llama = router.resolve("llama3.2");
  EXPECT_EQ(llama.provider, p.ollama);
  EXPECT_EQ(llama.id, "ollama/llama3.2");
  EXPECT_EQ(router.resolve("shared-name").provider, p.openai);
  auto nested = router.resolve("meta-llama/Llama-3-8B");
  EXPECT_EQ(nested.provider, p.openai);
  EXPECT_EQ(nested.model, "meta-llama/Llama-3-8B");
}

TEST(ModelRouter, UnknownModelsAndProvidersAreUnknownModel) {
  Providers p;
  auto router = p.router();
  EXPECT_EQ(failure_of(router, "claude-3"), LlmError::Kind::unknown_model);
  EXPECT_EQ(failure_of(router, "anthropic/claude-3"), LlmError::Kind::unknown_model);
}

TEST(ModelRouter, ListsEveryModelOfEveryProvider) {
  Providers p;
  auto models = p.router().list();
  std::vector<std::string> ids;
  for (const auto& m : models) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"offline/companion", "openai/gpt-4o-mini",
                                           "openai/shared-name", "openai/meta-llama/Llama-3-8B",
                                           "ollama/llama3.2", "ollama/shared-name"}));
}

// --- configuration → router ---------------------------------------------------------------

TEST(LlmSetup, OnlyConfiguredNetworkProvidersAreRegistered) {
  Providers p;
  companion::app::LlmConfig config;
  auto router = companion::app::build_model_router(config, p.offline);
  ASSERT_EQ(router->providers().size(), 1u);
  EXPECT_EQ(failure_of(*router, "openai/gpt-4o"), LlmError::Kind::unknown_model);

  config.ollama.configured = true;
  config.ollama.models = {"llama3.2"};
  config.openai.configured = true;
  config.openai.api_key = "sk-test";
  config.openai.models = {"gpt-4o-mini"};
  router = companion::app::build_model_router(config, p.offline);
  ASSERT_EQ(router->providers().size(), 3u);
  auto resolved = router->resolve("llama3.2");
  EXPECT_EQ(resolved.id, "ollama/llama3.2");
  // Network providers come wrapped in retries and a circuit breaker.
  EXPECT_NE(std::dynamic_pointer_cast<ResilientProvider>(resolved.provider), nullptr);
  EXPECT_EQ(router->resolve("gpt-4o-mini").provider->name(), "openai");
}

TEST(LlmSetup, DefaultModelNoProviderServesIsAConfigurationError) {
  Providers p;
  companion::app::LlmConfig config;
  config.default_model = "openai/gpt-4o";
  EXPECT_THROW(companion::app::build_model_router(config, p.offline), std::runtime_error);
}

TEST(LlmSetup, TomlSectionConfiguresEndpointsRetriesAndTheCircuit) {
  auto path = std::filesystem::temp_directory_path() /
              ("companion-llm-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << R"(
[llm]
default_model = "ollama/qwen2.5:7b"
[llm.ollama]
base_url = "http://10.0.0.5:11434"
models = ["qwen2.5:7b", "llama3.2"]
first_token_timeout_ms = 90000
[llm.retry]
attempts = 4
base_delay_ms = 100
[llm.circuit]
failure_threshold = 7
cooldown_ms = 5000
)";
  auto config = companion::app::load_config(path.string());
  std::filesystem::remove(path);
  const auto& llm = config.llm;
  EXPECT_EQ(llm.default_model, "ollama/qwen2.5:7b");
  EXPECT_TRUE(llm.ollama.configured);
  EXPECT_EQ(llm.ollama.base_url, "http://10.0.0.5:11434");
  EXPECT_EQ(llm.ollama.models, (std::vector<std::string>{"qwen2.5:7b", "llama3.2"}));
  EXPECT_EQ(llm.ollama.first_token_timeout_ms, 90000);
  EXPECT_EQ(llm.retry_attempts, 4);
  EXPECT_EQ(llm.retry_base_delay_ms, 100);
  EXPECT_EQ(llm.circuit_failure_threshold, 7);
  EXPECT_EQ(llm.circuit_cooldown_ms, 5000);
  // The environment of the test run may configure OpenAI; the file alone did not.
  if (std::getenv("OPENAI_API_KEY") == nullptr &&
      std::getenv("COMPANION_OPENAI_BASE_URL") == nullptr &&
      std::getenv("COMPANION_OPENAI_MODELS") == nullptr) {
    EXPECT_FALSE(llm.openai.configured);
  }
  EXPECT_EQ(companion::app::build_model_router(llm, nullptr)->resolve("").id, "ollama/qwen2.5:7b");
}
