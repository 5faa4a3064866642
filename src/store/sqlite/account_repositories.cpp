#include "store/sqlite/account_repositories.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace companion::store::sqlite {

namespace json = boost::json;

namespace {

constexpr const char* user_columns =
    "id, username, email, name, password_hash, role, created_at, last_active";

std::string role_text(core::Role r) {
  return r == core::Role::Admin ? "admin" : "user";
}

core::User read_user(const Statement& st) {
  core::User u;
  u.id = st.int64(0);
  u.username = st.text(1);
  u.email = st.text(2);
  u.name = st.text(3);
  u.password_hash = st.text(4);
  u.role = st.text(5) == "admin" ? core::Role::Admin : core::Role::User;
  u.created_at = st.int64(6);
  u.last_active = st.optional_int64(7);
  return u;
}

std::string to_json_list(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> from_json_list(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (auto& item : v.as_array())
    if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

constexpr const char* key_columns =
    "k.id, k.user_id, u.username, k.name, k.key_hash, k.prefix, k.allowed_origins, "
    "k.allowed_hosts, k.allowed_cidrs, k.created_at, k.last_used_at, k.revoked_at";

core::ApiKeyRecord read_key(const Statement& st) {
  core::ApiKeyRecord k;
  k.id = st.int64(0);
  k.user_id = st.int64(1);
  k.username = st.text(2);
  k.name = st.text(3);
  k.key_hash = st.text(4);
  k.prefix = st.text(5);
  k.allow_list.origins = from_json_list(st.text(6));
  k.allow_list.hosts = from_json_list(st.text(7));
  k.allow_list.cidrs = from_json_list(st.text(8));
  k.created_at = st.int64(9);
  k.last_used_at = st.optional_int64(10);
  k.revoked_at = st.optional_int64(11);
  return k;
}

std::optional<core::ApiKeyRecord> key_by_id(Connection& c, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT ") + key_columns +
                      " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_key(st);
}

std::int64_t count(Connection& c, const std::string& sql, std::int64_t user_id) {
  auto st = c.prepare(sql);
  st.bind(1, user_id);
  st.step();
  return st.int64(0);
}

}  // namespace

std::optional<core::User> SqliteUserRepository::create(const core::NewUser& user,
                                                       std::int64_t now) {
  try {
    return db_->write([&](Connection& c) {
      auto st = c.prepare(
          "INSERT INTO users (username, email, name, password_hash, role, created_at, "
          "last_active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
      st.bind(1, user.username)
          .bind(2, user.email)
          .bind(3, user.name)
          .bind(4, user.password_hash)
          .bind(5, role_text(user.role))
          .bind(6, now);
      st.run();
      std::int64_t id = c.last_insert_rowid();
      auto profile = c.prepare("INSERT INTO user_profiles (user_id, updated_at) VALUES (?1, ?2)");
      profile.bind(1, id).bind(2, now);
      profile.run();
      core::User created;
      created.id = id;
      created.username = user.username;
      created.email = user.email;
      created.name = user.name;
      created.password_hash = user.password_hash;
      created.role = user.role;
      created.created_at = now;
      created.last_active = now;
      return std::optional<core::User>(created);
    });
  } catch (const DatabaseError& e) {
    if (e.is_unique_violation()) return std::nullopt;
    throw;
  }
}

std::optional<core::User> SqliteUserRepository::find_by_username(std::string_view username) {
  return db_->read([&](Connection& c) -> std::optional<core::User> {
    auto st = c.prepare(std::string("SELECT ") + user_columns + " FROM users WHERE username = ?1");
    st.bind(1, username);
    if (!st.step()) return std::nullopt;
    return read_user(st);
  });
}

std::optional<core::User> SqliteUserRepository::find_by_id(std::int64_t id) {
  return db_->read([&](Connection& c) -> std::optional<core::User> {
    auto st = c.prepare(std::string("SELECT ") + user_columns + " FROM users WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_user(st);
  });
}

std::vector<core::User> SqliteUserRepository::list() {
  return db_->read([&](Connection& c) {
    std::vector<core::User> out;
    auto st = c.prepare(std::string("SELECT ") + user_columns + " FROM users ORDER BY id");
    while (st.step()) out.push_back(read_user(st));
    return out;
  });
}

bool SqliteUserRepository::any_admin() {
  return db_->read([&](Connection& c) {
    auto st = c.prepare("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1");
    return st.step();
  });
}

void SqliteUserRepository::touch_last_active(std::int64_t user_id, std::int64_t now) {
  db_->write([&](Connection& c) {
    auto st = c.prepare("UPDATE users SET last_active = ?2 WHERE id = ?1");
    st.bind(1, user_id).bind(2, now);
    st.run();
  });
}

core::UserProfile SqliteUserRepository::profile(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    core::UserProfile p;
    auto st = c.prepare(
        "SELECT preferences, personality_traits, interests FROM user_profiles WHERE user_id = ?1");
    st.bind(1, user_id);
    if (st.step()) {
      p.preferences_json = st.text(0);
      p.personality_traits_json = st.text(1);
      p.interests_json = st.text(2);
    }
    return p;
  });
}

void SqliteUserRepository::update_profile(std::int64_t user_id, const core::ProfileUpdate& u,
                                          std::int64_t now) {
  db_->write([&](Connection& c) {
    auto user = c.prepare(
        "UPDATE users SET name = COALESCE(?2, name), email = COALESCE(?3, email) WHERE id = ?1");
    user.bind(1, user_id).bind(2, u.name).bind(3, u.email);
    user.run();
    auto profile = c.prepare(
        "INSERT INTO user_profiles (user_id, preferences, personality_traits, interests, "
        "updated_at) VALUES (?1, COALESCE(?2, '{}'), COALESCE(?3, '{}'), COALESCE(?4, '[]'), ?5) "
        "ON CONFLICT (user_id) DO UPDATE SET "
        "preferences = COALESCE(?2, preferences), "
        "personality_traits = COALESCE(?3, personality_traits), "
        "interests = COALESCE(?4, interests), updated_at = ?5");
    profile.bind(1, user_id)
        .bind(2, u.preferences_json)
        .bind(3, u.personality_traits_json)
        .bind(4, u.interests_json)
        .bind(5, now);
    profile.run();
  });
}

core::UserActivityCounts SqliteUserRepository::activity_counts(std::int64_t user_id) {
  return db_->read([&](Connection& c) {
    core::UserActivityCounts counts;
    counts.conversations = count(c, "SELECT COUNT(*) FROM sessions WHERE user_id = ?1", user_id);
    counts.messages = count(c, "SELECT COUNT(*) FROM messages WHERE user_id = ?1", user_id);
    return counts;
  });
}

core::DeletedUserData SqliteUserRepository::remove(std::int64_t user_id) {
  return db_->write([&](Connection& c) {
    core::DeletedUserData d;
    // Counted inside the deleting transaction, so the numbers are what was removed.
    d.conversations = count(c, "SELECT COUNT(*) FROM sessions WHERE user_id = ?1", user_id);
    d.messages = count(c, "SELECT COUNT(*) FROM messages WHERE user_id = ?1", user_id);
    // The memory store arrives in a later migration; before it exists there are none.
    if (c.table_exists("memories"))
      d.memories = count(c, "SELECT COUNT(*) FROM memories WHERE user_id = ?1", user_id);
    auto st = c.prepare("DELETE FROM users WHERE id = ?1");
    st.bind(1, user_id);
    st.run();
    return d;
  });
}

core::ApiKeyRecord SqliteApiKeyRepository::insert(const core::ApiKeyRecord& r) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO api_keys (user_id, name, key_hash, prefix, allowed_origins, allowed_hosts, "
        "allowed_cidrs, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    st.bind(1, r.user_id)
        .bind(2, r.name)
        .bind(3, r.key_hash)
        .bind(4, r.prefix)
        .bind(5, to_json_list(r.allow_list.origins))
        .bind(6, to_json_list(r.allow_list.hosts))
        .bind(7, to_json_list(r.allow_list.cidrs))
        .bind(8, r.created_at);
    st.run();
    return *key_by_id(c, c.last_insert_rowid());
  });
}

std::optional<core::ApiKeyRecord> SqliteApiKeyRepository::find_by_hash(std::string_view hash) {
  return db_->read([&](Connection& c) -> std::optional<core::ApiKeyRecord> {
    auto st = c.prepare(std::string("SELECT ") + key_columns +
                        " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?1");
    st.bind(1, hash);
    if (!st.step()) return std::nullopt;
    return read_key(st);
  });
}

std::vector<core::ApiKeyRecord> SqliteApiKeyRepository::list() {
  return db_->read([&](Connection& c) {
    std::vector<core::ApiKeyRecord> out;
    auto st = c.prepare(std::string("SELECT ") + key_columns +
                        " FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.id");
    while (st.step()) out.push_back(read_key(st));
    return out;
  });
}

std::optional<core::ApiKeyRecord> SqliteApiKeyRepository::revoke(std::int64_t id,
                                                                 std::int64_t now) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1");
    st.bind(1, id).bind(2, now);
    st.run();
    return key_by_id(c, id);
  });
}

void SqliteApiKeyRepository::touch_last_used(std::int64_t id, std::int64_t now) {
  db_->write([&](Connection& c) {
    auto st = c.prepare("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1");
    st.bind(1, id).bind(2, now);
    st.run();
  });
}

void SqliteRevokedTokenRepository::add(std::string_view jti, std::int64_t expires_at) {
  db_->write([&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?1, ?2) "
        "ON CONFLICT (jti) DO NOTHING");
    st.bind(1, jti).bind(2, expires_at);
    st.run();
  });
}

std::vector<std::pair<std::string, std::int64_t>> SqliteRevokedTokenRepository::load_active(
    std::int64_t now) {
  db_->write([&](Connection& c) {
    auto purge = c.prepare("DELETE FROM revoked_tokens WHERE expires_at <= ?1");
    purge.bind(1, now);
    purge.run();
  });
  return db_->read([&](Connection& c) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto st = c.prepare("SELECT jti, expires_at FROM revoked_tokens");
    while (st.step()) out.emplace_back(st.text(0), st.int64(1));
    return out;
  });
}

}  // namespace companion::store::sqlite
