#include "core/conversation/tool_registry.hpp"

namespace companion::core {

void ToolRegistry::add(std::shared_ptr<Tool> tool) {
  auto name = tool->schema().name;
  tools_[name] = std::move(tool);
}

Tool* ToolRegistry::find(std::string_view name) const {
  auto it = tools_.find(name);
  return it == tools_.end() ? nullptr : it->second.get();
}

std::vector<ToolSchema> ToolRegistry::schemas() const {
  std::vector<ToolSchema> out;
  for (const auto& [name, tool] : tools_) out.push_back(tool->schema());
  return out;
}

std::vector<std::string> ToolRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, tool] : tools_) out.push_back(name);
  return out;
}

}  // namespace companion::core
