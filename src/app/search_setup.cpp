#include "app/search_setup.hpp"

#include <chrono>
#include <memory>

#include "core/conversation/tools/search_tools.hpp"
#include "providers/search/mediawiki_search.hpp"
#include "providers/search/searxng_search.hpp"

namespace companion::app {

void add_search_tools(core::ToolRegistry& tools, const SearchConfig& config) {
  core::SearchToolLimits limits;
  limits.max_results = static_cast<std::size_t>(config.max_results);
  auto timeout = std::chrono::milliseconds(config.timeout_ms);
  if (!config.web_search_url.empty()) {
    providers::SearxngOptions options;
    options.base_url = config.web_search_url;
    options.timeout = timeout;
    tools.add(core::make_web_search_tool(
        std::make_shared<providers::SearxngSearch>(std::move(options)), limits));
  }
  if (!config.wikipedia_api_url.empty()) {
    providers::MediaWikiOptions options;
    options.api_url = config.wikipedia_api_url;
    options.timeout = timeout;
    tools.add(core::make_wikipedia_tool(
        std::make_shared<providers::MediaWikiSearch>(std::move(options)), limits));
  }
}

}  // namespace companion::app
