#pragma once
// Where slide decks are kept, each on the session it was made in; a deck goes with its
// session.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/slides/slide_deck.hpp"

namespace companion::core {

struct SlideDeckQuery {
  std::int64_t user_id = 0;
  std::optional<std::int64_t> conversation_row_id;  // only this session's decks
  std::size_t limit = 10;
  std::size_t offset = 0;
};

class SlidesRepository {
 public:
  virtual ~SlidesRepository() = default;

  virtual std::optional<SlideDeck> find(std::int64_t id) = 0;
  // The session's most recently updated deck.
  virtual std::optional<SlideDeck> latest_for(std::string_view conversation_id) = 0;
  // The user's decks in id order.
  virtual std::vector<SlideDeck> list(const SlideDeckQuery& query) = 0;
  virtual std::int64_t count(const SlideDeckQuery& query) = 0;
  // Inserts a deck (id 0) into the session named by conversation_id, or updates the title,
  // summary, topic and document of deck `id`; stamps the times. Returns the deck as stored;
  // nullopt when the session or the deck does not exist.
  virtual std::optional<SlideDeck> save(const SlideDeck& deck) = 0;
  virtual bool remove(std::int64_t id) = 0;
};

}  // namespace companion::core
