#include "store/sqlite/migrations.hpp"

#include <ctime>

#include "store/sqlite/conversation_schema.hpp"
#include "store/sqlite/knowledge_schema.hpp"
#include "store/sqlite/memory_index_schema.hpp"
#include "store/sqlite/memory_schema.hpp"
#include "store/sqlite/slides_schema.hpp"

namespace companion::store::sqlite {

namespace {

// Times are unix seconds (INTEGER); JSON documents are TEXT.
const char* const accounts_and_conversations = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  email         TEXT,
  name          TEXT,
  password_hash TEXT,
  role          TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at    INTEGER NOT NULL,
  last_active   INTEGER
);

CREATE TABLE user_profiles (
  user_id            INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  preferences        TEXT NOT NULL DEFAULT '{}',
  personality_traits TEXT NOT NULL DEFAULT '{}',
  interests          TEXT NOT NULL DEFAULT '[]',
  updated_at         INTEGER
);

CREATE TABLE api_keys (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  key_hash        TEXT NOT NULL UNIQUE,
  prefix          TEXT NOT NULL,
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  allowed_hosts   TEXT NOT NULL DEFAULT '[]',
  allowed_cidrs   TEXT NOT NULL DEFAULT '[]',
  created_at      INTEGER NOT NULL,
  last_used_at    INTEGER,
  revoked_at      INTEGER
);
CREATE INDEX api_keys_user ON api_keys(user_id);

CREATE TABLE revoked_tokens (
  jti        TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens(expires_at);

CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  external_id   TEXT NOT NULL UNIQUE,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_type   TEXT NOT NULL DEFAULT 'api',
  created_at    INTEGER NOT NULL,
  last_activity INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id, last_activity);

CREATE TABLE messages (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       TEXT NOT NULL,
  content    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  metadata   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX messages_session ON messages(session_id, id);
CREATE INDEX messages_user ON messages(user_id);
)sql";

int current_version(Connection& c) {
  auto st = c.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  st.step();
  return static_cast<int>(st.int64(0));
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "accounts and conversations", accounts_and_conversations},
      {2, "long-term memory", memory_schema},
      {3, "document knowledge", knowledge_schema},
      {4, "conversations", conversation_schema},
      {5, "memory search scoped by user, vector index revisions", memory_index_schema},
      {6, "AI Coach slide decks", slides_schema},
  };
  return all;
}

MigrationReport migrate(Database& db) {
  db.write([](Connection& c) {
    c.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  });
  MigrationReport report;
  report.from_version = db.write([](Connection& c) { return current_version(c); });
  report.to_version = report.from_version;
  const auto& known = migrations();
  int newest = known.empty() ? 0 : known.back().version;
  if (report.from_version > newest)
    throw DatabaseError("database schema version " + std::to_string(report.from_version) +
                            " is newer than this binary knows (" + std::to_string(newest) + ")",
                        0);
  for (const auto& m : known) {
    if (m.version <= report.from_version) continue;
    db.write([&](Connection& c) {
      c.exec(m.sql);
      auto st = c.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      st.bind(1, m.version).bind(2, m.name).bind(3, static_cast<std::int64_t>(std::time(nullptr)));
      st.run();
    });
    report.applied.push_back(std::to_string(m.version) + ": " + m.name);
    report.to_version = m.version;
  }
  return report;
}

}  // namespace companion::store::sqlite
