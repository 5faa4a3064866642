#pragma once
// web_search and search_wikipedia: the model looks things up outside the conversation,
// through a configured web search service and an encyclopedia. Results come back as short
// plain text with the address of each source, so that a reply can cite where it came from;
// a service that fails becomes a ToolError that says what failed.
#include <cstddef>
#include <memory>
#include <string_view>

#include "core/conversation/tool_registry.hpp"

namespace companion::core {

class Encyclopedia;
class WebSearcher;

struct SearchToolLimits {
  std::size_t max_results = 5;           // the most a call may ask for (and the default)
  std::size_t max_snippet_bytes = 320;   // a web result's summary or a match's snippet
  std::size_t max_extract_bytes = 1500;  // an encyclopedia article's introduction
};

inline constexpr std::string_view web_search_tool_name = "web_search";
inline constexpr std::string_view wikipedia_tool_name = "search_wikipedia";

std::shared_ptr<Tool> make_web_search_tool(std::shared_ptr<WebSearcher> searcher,
                                           SearchToolLimits limits = {});
std::shared_ptr<Tool> make_wikipedia_tool(std::shared_ptr<Encyclopedia> encyclopedia,
                                          SearchToolLimits limits = {});

}  // namespace companion::core
