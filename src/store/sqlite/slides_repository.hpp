#pragma once
// Slide decks on SQLite: `slides` rows on a session row. The owner and the session's
// public id are read through the session, so they can never disagree with it.
#include <functional>
#include <memory>

#include "core/slides/slides_repository.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteSlidesRepository final : public core::SlidesRepository {
 public:
  using UnixClock = std::function<std::int64_t()>;
  explicit SqliteSlidesRepository(std::shared_ptr<Database> db, UnixClock clock = {});

  std::optional<core::SlideDeck> find(std::int64_t id) override;
  std::optional<core::SlideDeck> latest_for(std::string_view conversation_id) override;
  std::vector<core::SlideDeck> list(const core::SlideDeckQuery& query) override;
  std::int64_t count(const core::SlideDeckQuery& query) override;
  std::optional<core::SlideDeck> save(const core::SlideDeck& deck) override;
  bool remove(std::int64_t id) override;

 private:
  std::shared_ptr<Database> db_;
  UnixClock clock_;
};

}  // namespace companion::store::sqlite
