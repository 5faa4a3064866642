#pragma once
// Memory search at scale (a migration in migrations.cpp, after long-term memory).
//
// The full-text index gets an `owner` column holding one token per user ("u42"). A search
// asks for `owner : u42 AND content : (...)`, so FTS5 walks only the doclists of the words
// intersected with the user's own rows instead of scoring every user's matches and
// dropping the others afterwards. The index reads its text through a view (external
// content) that adds the token and leaves the sealed tier out; the rank is BM25 over the
// content alone (the owner column weighs 0).
//
// `memory_vector_revisions` counts the changes to each user's vectors, so that a vector
// index saved to a file can tell on load whether it still matches the store.
namespace companion::store::sqlite {

inline constexpr const char* memory_index_schema = R"sql(
DROP TRIGGER memories_fts_insert;
DROP TRIGGER memories_fts_delete;
DROP TRIGGER memories_fts_update_old;
DROP TRIGGER memories_fts_update_new;
DROP TABLE memories_fts;

CREATE VIEW memories_fts_source AS
  SELECT id, content, 'u' || user_id AS owner FROM memories WHERE sealed = 0;
CREATE VIRTUAL TABLE memories_fts USING fts5(
  content, owner, content = 'memories_fts_source', content_rowid = 'id',
  tokenize = 'porter unicode61');
INSERT INTO memories_fts (memories_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories WHEN new.sealed = 0 BEGIN
  INSERT INTO memories_fts (rowid, content, owner)
  VALUES (new.id, new.content, 'u' || new.user_id);
END;
CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories WHEN old.sealed = 0 BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content, owner)
  VALUES ('delete', old.id, old.content, 'u' || old.user_id);
END;
CREATE TRIGGER memories_fts_update_old AFTER UPDATE OF content, sealed ON memories
WHEN old.sealed = 0 BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content, owner)
  VALUES ('delete', old.id, old.content, 'u' || old.user_id);
END;
CREATE TRIGGER memories_fts_update_new AFTER UPDATE OF content, sealed ON memories
WHEN new.sealed = 0 BEGIN
  INSERT INTO memories_fts (rowid, content, owner)
  VALUES (new.id, new.content, 'u' || new.user_id);
END;
INSERT INTO memories_fts (memories_fts) VALUES ('rebuild');

CREATE TABLE memory_vector_revisions (
  user_id  INTEGER PRIMARY KEY,
  revision INTEGER NOT NULL
);
CREATE TRIGGER memory_vectors_revision_insert AFTER INSERT ON memory_vectors BEGIN
  INSERT INTO memory_vector_revisions (user_id, revision)
  SELECT user_id, 1 FROM memories WHERE id = new.memory_id
  ON CONFLICT (user_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER memory_vectors_revision_update AFTER UPDATE ON memory_vectors BEGIN
  INSERT INTO memory_vector_revisions (user_id, revision)
  SELECT user_id, 1 FROM memories WHERE id = new.memory_id
  ON CONFLICT (user_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER memory_vectors_revision_delete AFTER DELETE ON memory_vectors BEGIN
  INSERT INTO memory_vector_revisions (user_id, revision)
  SELECT user_id, 1 FROM memories WHERE id = old.memory_id
  ON CONFLICT (user_id) DO UPDATE SET revision = revision + 1;
END;
-- A deleted memory takes its vector along (ON DELETE CASCADE), which may run after the
-- memory is gone and the trigger above can no longer find the owner.
CREATE TRIGGER memories_revision_delete AFTER DELETE ON memories BEGIN
  INSERT INTO memory_vector_revisions (user_id, revision) VALUES (old.user_id, 1)
  ON CONFLICT (user_id) DO UPDATE SET revision = revision + 1;
END;
)sql";

}  // namespace companion::store::sqlite
