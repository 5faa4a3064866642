#pragma once
// The port through which the conversation searches the web. An adapter asks one configured
// search service; the results are plain text (no markup), ranked as the service ranked them.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancellation_token.hpp"
#include "core/search/search_error.hpp"

namespace companion::core {

struct WebResult {
  std::string title;
  std::string url;
  std::string snippet;  // the service's summary of the page
  std::string engine;   // the engine that found it, when the service says; else empty
};

struct WebSearchResults {
  std::vector<WebResult> results;
  // Direct answers some services compute for a query ("2 + 2 = 4", a unit conversion).
  std::vector<std::string> answers;
};

class WebSearcher {
 public:
  virtual ~WebSearcher() = default;
  // Blocking: call from a worker thread. At most `limit` results. Throws SearchError.
  virtual WebSearchResults search(std::string_view query, std::size_t limit,
                                  const CancellationToken& cancellation) const = 0;
};

}  // namespace companion::core
