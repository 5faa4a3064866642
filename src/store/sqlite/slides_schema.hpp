#pragma once
// AI Coach's slide decks (a migration in migrations.cpp, after the conversation store).
// A deck belongs to a session row (a conversation), so deleting the session or its user
// deletes its decks. The document is Editor.js JSON, kept as text.
namespace companion::store::sqlite {

inline constexpr const char* slides_schema = R"sql(
CREATE TABLE slides (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  title      TEXT NOT NULL DEFAULT '',
  summary    TEXT NOT NULL DEFAULT '',
  topic      TEXT NOT NULL DEFAULT '',
  editorjs   TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX slides_session ON slides(session_id, updated_at);
)sql";

}  // namespace companion::store::sqlite
