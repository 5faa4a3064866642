#pragma once
// Adds the search tools the operator configured to the conversation's tools: web_search on
// a SearxNG instance, search_wikipedia on a MediaWiki API.
#include "app/config.hpp"
#include "core/conversation/tool_registry.hpp"

namespace companion::app {

// Throws std::invalid_argument for a search URL that cannot be used.
void add_search_tools(core::ToolRegistry& tools, const SearchConfig& config);

}  // namespace companion::app
