#include "core/llm/model_router.hpp"

namespace companion::core {

namespace {

ResolvedModel resolved(std::shared_ptr<LlmProvider> provider, std::string_view model) {
  ResolvedModel out;
  out.id = std::string(provider->name());
  if (!model.empty()) out.id.append("/").append(model);
  out.model = std::string(model);
  out.provider = std::move(provider);
  return out;
}

// The provider's own name for a model it lists: its id without the "provider/" prefix.
std::string_view own_name(const ModelInfo& info, std::string_view provider) {
  std::string_view id = info.id;
  if (id.size() > provider.size() && id.substr(0, provider.size()) == provider &&
      id[provider.size()] == '/')
    id.remove_prefix(provider.size() + 1);
  return id;
}

}  // namespace

ModelRouter::ModelRouter(std::string default_model,
                         std::vector<std::shared_ptr<LlmProvider>> providers)
    : default_model_(std::move(default_model)), providers_(std::move(providers)) {
  std::erase(providers_, nullptr);
}

std::shared_ptr<LlmProvider> ModelRouter::provider_named(std::string_view name) const {
  for (const auto& provider : providers_)
    if (provider->name() == name) return provider;
  return nullptr;
}

ResolvedModel ModelRouter::resolve(std::string_view requested) const {
  if (requested.empty()) requested = default_model_;
  // "provider/model": model names may hold slashes themselves ("meta-llama/Llama-3-8B" on
  // OpenRouter), so only the first one separates.
  auto slash = requested.find('/');
  if (auto provider = provider_named(requested.substr(0, slash))) {
    if (slash != std::string_view::npos) return resolved(provider, requested.substr(slash + 1));
    // A bare provider name means its first model, or whatever it serves by default.
    auto listed = provider->models();
    if (listed.empty()) return resolved(provider, "");
    return resolved(provider, own_name(listed.front(), provider->name()));
  }
  for (const auto& provider : providers_)
    for (const auto& info : provider->models())
      if (info.id == requested || own_name(info, provider->name()) == requested)
        return resolved(provider, own_name(info, provider->name()));
  throw LlmError(LlmError::Kind::unknown_model,
                 "no configured provider serves the model \"" + std::string(requested) + "\"");
}

std::vector<ModelInfo> ModelRouter::list() const {
  std::vector<ModelInfo> out;
  for (const auto& provider : providers_) {
    auto listed = provider->models();
    out.insert(out.end(), listed.begin(), listed.end());
  }
  return out;
}

}  // namespace companion::core
