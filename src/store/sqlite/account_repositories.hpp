#pragma once
// SQLite implementations of the accounts ports.
#include <memory>

#include "core/accounts/repositories.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteUserRepository final : public core::UserRepository {
 public:
  explicit SqliteUserRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  std::optional<core::User> create(const core::NewUser& user, std::int64_t now) override;
  std::optional<core::User> find_by_username(std::string_view username) override;
  std::optional<core::User> find_by_id(std::int64_t id) override;
  std::vector<core::User> list() override;
  bool any_admin() override;
  void touch_last_active(std::int64_t user_id, std::int64_t now) override;
  core::UserProfile profile(std::int64_t user_id) override;
  void update_profile(std::int64_t user_id, const core::ProfileUpdate& update,
                      std::int64_t now) override;
  core::UserActivityCounts activity_counts(std::int64_t user_id) override;
  core::DeletedUserData remove(std::int64_t user_id) override;

 private:
  std::shared_ptr<Database> db_;
};

class SqliteApiKeyRepository final : public core::ApiKeyRepository {
 public:
  explicit SqliteApiKeyRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  core::ApiKeyRecord insert(const core::ApiKeyRecord& record) override;
  std::optional<core::ApiKeyRecord> find_by_hash(std::string_view key_hash) override;
  std::vector<core::ApiKeyRecord> list() override;
  std::optional<core::ApiKeyRecord> revoke(std::int64_t id, std::int64_t now) override;
  void touch_last_used(std::int64_t id, std::int64_t now) override;

 private:
  std::shared_ptr<Database> db_;
};

class SqliteRevokedTokenRepository final : public core::RevokedTokenRepository {
 public:
  explicit SqliteRevokedTokenRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  void add(std::string_view jti, std::int64_t expires_at) override;
  std::vector<std::pair<std::string, std::int64_t>> load_active(std::int64_t now) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
