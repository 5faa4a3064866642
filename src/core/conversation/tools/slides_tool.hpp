#pragma once
// generate_or_update_slides: the model makes an Editor.js slide deck about a topic, or
// changes the session's deck ("add a slide about…", "rename it to…"), from the user's
// relevant document passages and memories and the session's recent messages. The deck is
// stored on the turn's session; the model gets back its title, summary and block count.
#include <functional>
#include <memory>

#include "core/conversation/tool_registry.hpp"

namespace companion::core {

class ConversationRepository;
class KnowledgeService;
class MemoryService;
class SlidesRepository;

struct SlidesToolPorts {
  std::shared_ptr<SlidesRepository> slides;
  std::shared_ptr<KnowledgeService> knowledge;            // null: no documents
  std::shared_ptr<MemoryService> memory;                  // null: no memories
  std::shared_ptr<ConversationRepository> conversations;  // null: no conversation context
  std::function<std::int64_t()> clock_ms;                 // empty: the system clock
};

inline constexpr std::string_view slides_tool_name = "generate_or_update_slides";

std::shared_ptr<Tool> make_slides_tool(SlidesToolPorts ports);

}  // namespace companion::core
