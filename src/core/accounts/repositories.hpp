#pragma once
// The storage ports of the accounts domain; store/ implements them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/accounts/api_key.hpp"
#include "core/accounts/user.hpp"

namespace companion::core {

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // nullopt when the username is taken.
  virtual std::optional<User> create(const NewUser& user, std::int64_t now) = 0;
  virtual std::optional<User> find_by_username(std::string_view username) = 0;
  virtual std::optional<User> find_by_id(std::int64_t id) = 0;
  virtual std::vector<User> list() = 0;
  virtual bool any_admin() = 0;
  virtual void touch_last_active(std::int64_t user_id, std::int64_t now) = 0;
  virtual UserProfile profile(std::int64_t user_id) = 0;
  virtual void update_profile(std::int64_t user_id, const ProfileUpdate& update,
                              std::int64_t now) = 0;
  virtual UserActivityCounts activity_counts(std::int64_t user_id) = 0;
  // Deletes the user and every row it owns; counts what went.
  virtual DeletedUserData remove(std::int64_t user_id) = 0;
};

class ApiKeyRepository {
 public:
  virtual ~ApiKeyRepository() = default;
  // Stores the key (record.id is ignored) and returns it with its id.
  virtual ApiKeyRecord insert(const ApiKeyRecord& record) = 0;
  // Revoked keys are found too, so that callers can say "revoked" rather than "unknown".
  virtual std::optional<ApiKeyRecord> find_by_hash(std::string_view key_hash) = 0;
  virtual std::vector<ApiKeyRecord> list() = 0;
  // Marks the key revoked; the record as it is now, nullopt when there is no such key.
  virtual std::optional<ApiKeyRecord> revoke(std::int64_t id, std::int64_t now) = 0;
  virtual void touch_last_used(std::int64_t id, std::int64_t now) = 0;
};

class RevokedTokenRepository {
 public:
  virtual ~RevokedTokenRepository() = default;
  virtual void add(std::string_view jti, std::int64_t expires_at) = 0;
  // Revocations still in force at `now` (jti, expires_at); older ones are purged.
  virtual std::vector<std::pair<std::string, std::int64_t>> load_active(std::int64_t now) = 0;
};

}  // namespace companion::core
