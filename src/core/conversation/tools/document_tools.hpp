#pragma once
// semantic_search: the model looks into the user's own documents (never another user's).
#include <memory>

#include "core/conversation/tool_registry.hpp"

namespace companion::core {

class KnowledgeService;

std::shared_ptr<Tool> make_semantic_search_tool(std::shared_ptr<KnowledgeService> knowledge);

}  // namespace companion::core
