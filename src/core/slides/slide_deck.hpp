#pragma once
// A slide deck kept on an AI Coach session: an Editor.js document (the blocks the client's
// editor renders) with a title and a one-line summary. The engine writes one when the user
// asks for slides; clients may also create and edit decks themselves.
#include <cstdint>
#include <string>

namespace companion::core {

struct SlideDeck {
  std::int64_t id = 0;                   // assigned by the store (AI Coach's slides id)
  std::string conversation_id;           // the session (thread) the deck belongs to
  std::int64_t conversation_row_id = 0;  // the session's numeric id, filled by the store
  std::int64_t user_id = 0;              // the session's owner, filled by the store
  std::string title;
  std::string summary;
  std::string topic;                 // what the engine made it about; empty for client decks
  std::string editorjs_json = "{}";  // {"time", "version", "blocks": [{"type", "data"}, …]}
  std::int64_t created_at = 0;       // unix seconds
  std::int64_t updated_at = 0;
};

}  // namespace companion::core
