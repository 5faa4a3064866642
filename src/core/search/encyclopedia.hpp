#pragma once
// The port through which the conversation looks a subject up in an encyclopedia: find the
// articles that match a query, then read the introduction of the best one.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancellation_token.hpp"
#include "core/search/search_error.hpp"

namespace companion::core {

struct EncyclopediaArticle {
  std::string title;    // as the encyclopedia spells it (after redirects)
  std::string extract;  // the introduction, plain text
  std::string url;      // where a reader finds the article
};

// An article the search found, besides the one that was read.
struct EncyclopediaMatch {
  std::string title;
  std::string snippet;  // plain text around the words that matched
  std::string url;
};

struct EncyclopediaLookup {
  std::optional<EncyclopediaArticle> article;  // empty: nothing matched
  std::vector<EncyclopediaMatch> other_matches;
};

class Encyclopedia {
 public:
  virtual ~Encyclopedia() = default;
  // Blocking: call from a worker thread. At most `max_other_matches` other matches.
  // Throws SearchError.
  virtual EncyclopediaLookup look_up(std::string_view query, std::size_t max_other_matches,
                                     const CancellationToken& cancellation) const = 0;
};

}  // namespace companion::core
