#pragma once
// save_memory, search_memory and delete_memory: the model's hands on the user's long-term
// memory, always scoped to the user of the turn.
#include <memory>

#include "core/conversation/tool_registry.hpp"

namespace companion::core {

class MemoryService;

std::shared_ptr<Tool> make_save_memory_tool(std::shared_ptr<MemoryService> memory);
std::shared_ptr<Tool> make_search_memory_tool(std::shared_ptr<MemoryService> memory);
std::shared_ptr<Tool> make_delete_memory_tool(std::shared_ptr<MemoryService> memory);

}  // namespace companion::core
