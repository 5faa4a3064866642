#pragma once
// The schema of the document knowledge base (a migration in migrations.cpp). Chunks belong
// to a document and vectors to a chunk, both by cascading keys, so deleting a document (or
// its user) removes everything it indexed; the full-text index reads chunk text from
// `knowledge_chunks` (external content), kept in step by triggers that cascades fire too.
namespace companion::store::sqlite {

inline constexpr const char* knowledge_schema = R"sql(
CREATE TABLE knowledge_documents (
  id          INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  collection  TEXT NOT NULL,
  filename    TEXT NOT NULL,
  type        TEXT NOT NULL,
  title       TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',
  pages       INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX knowledge_documents_user ON knowledge_documents(user_id, collection, created_at);

CREATE TABLE knowledge_chunks (
  id           INTEGER PRIMARY KEY,
  document     INTEGER NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
  chunk_index  INTEGER NOT NULL,
  page         INTEGER NOT NULL,
  begin_offset INTEGER NOT NULL,
  end_offset   INTEGER NOT NULL,
  text         TEXT NOT NULL
);
CREATE INDEX knowledge_chunks_document ON knowledge_chunks(document, chunk_index);

CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5(
  text, content = 'knowledge_chunks', content_rowid = 'id', tokenize = 'porter unicode61');
CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
  INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, text)
  VALUES ('delete', old.id, old.text);
END;

CREATE TABLE knowledge_chunk_vectors (
  chunk     INTEGER PRIMARY KEY REFERENCES knowledge_chunks(id) ON DELETE CASCADE,
  space_id  TEXT NOT NULL,
  dimension INTEGER NOT NULL,
  vector    BLOB NOT NULL
);
)sql";

}  // namespace companion::store::sqlite
