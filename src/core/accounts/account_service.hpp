#pragma once
// Accounts: registration, login and logout with JWTs, API keys with allow-lists, the root
// key, profiles, and turning any presented credential into a Principal. Storage comes in
// through the repository ports; blocking writes that a request does not wait for (activity
// stamps) go to the executor.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/accounts/api_key.hpp"
#include "core/accounts/authenticator.hpp"
#include "core/accounts/jwt_codec.hpp"
#include "core/accounts/password_hasher.hpp"
#include "core/accounts/repositories.hpp"
#include "core/accounts/user.hpp"
#include "core/executor.hpp"

namespace companion::core {

struct AccountSettings {
  std::string root_api_key;  // empty: no root key
  std::string jwt_secret;
  std::int64_t jwt_ttl_seconds = 24 * 3600;
  std::uint64_t password_ops_limit = 2;
  std::size_t password_mem_limit = 64u << 20;
  std::chrono::seconds key_cache_ttl{30};
  std::chrono::seconds activity_interval{60};  // last_active is stamped at most this often
};

struct AccountPorts {
  std::shared_ptr<UserRepository> users;
  std::shared_ptr<ApiKeyRepository> keys;
  std::shared_ptr<RevokedTokenRepository> revoked;
  TaskExecutor* background = nullptr;  // null: activity stamps are written inline
};

struct IssuedToken {
  std::string access_token;
  std::int64_t expires_at = 0;
  User user;
};

struct CreatedApiKey {
  ApiKeyRecord record;
  std::string secret;  // shown once
};

enum class AccountError {
  UsernameTaken,
  InvalidUsername,
  InvalidCredentials,
  UnknownUser,
  InvalidAllowList,
  NotAllowed,  // acting for another user without being admin
};

template <class T>
struct AccountResult {
  std::variant<T, AccountError> value;
  std::string detail;  // extra words for InvalidAllowList
  bool ok() const { return std::holds_alternative<T>(value); }
  T& operator*() { return std::get<T>(value); }
  T* operator->() { return &std::get<T>(value); }
  AccountError error() const { return std::get<AccountError>(value); }
};

// Usernames: 1–64 characters of [A-Za-z0-9_.@-].
bool valid_username(std::string_view username);

class AccountService final : public Authenticator {
 public:
  using UnixClock = std::function<std::int64_t()>;
  AccountService(AccountSettings settings, AccountPorts ports, UnixClock clock = {});

  // Registration and login (AI Friend).
  AccountResult<IssuedToken> register_user(const NewUser& user, std::string_view password);
  AccountResult<IssuedToken> login(std::string_view username, std::string_view password);
  // Revokes the principal's JWT until it would have expired anyway.
  void logout(const Principal& principal);
  std::string issue_token(const User& user, std::int64_t ttl_seconds);

  // Users.
  AccountResult<User> add_user(const NewUser& user, std::string_view password);
  std::optional<User> find_user(std::string_view username);
  std::vector<User> list_users();
  // The user of that name, created (as an ordinary user without a password) on first use.
  AccountResult<User> ensure_user(std::string_view username);
  UserProfile profile(const User& user);
  UserActivityCounts activity_counts(const User& user);
  void update_profile(const User& user, const ProfileUpdate& update);
  DeletedUserData delete_user(const User& user);

  // API keys.
  AccountResult<CreatedApiKey> create_api_key(std::string_view owner_username,
                                              std::string_view name, AllowList allow_list);
  std::vector<ApiKeyRecord> list_api_keys();
  // The revoked record; nullopt when there is no key with that id.
  std::optional<ApiKeyRecord> revoke_api_key(std::int64_t id);

  // At first start without a root key or an admin: an "admin" user and a key for it.
  std::optional<CreatedApiKey> bootstrap_admin();

  // Voice Assistant's user_id field: the principal itself for an empty or its own name; for
  // an admin, the named user (created on first use); otherwise NotAllowed.
  AccountResult<Principal> resolve_acting_user(const Principal& principal,
                                               std::string_view named_user_id);

  // Authenticator
  AuthOutcome authenticate(const PresentedCredential& credential,
                           const RequestOrigin& origin) override;
  std::optional<Principal> open_principal(std::string_view username) override;
  void note_activity(const Principal& principal) override;

 private:
  struct CachedKey {
    std::optional<ApiKeyRecord> record;  // nullopt: no such key (cached too)
    std::chrono::steady_clock::time_point expires;
  };
  struct CachedUser {
    std::optional<User> user;
    std::chrono::steady_clock::time_point expires;
  };

  AuthOutcome authenticate_jwt(std::string_view token);
  AuthOutcome authenticate_api_key(std::string_view key, const RequestOrigin& origin);
  std::optional<ApiKeyRecord> lookup_key(const std::string& key_hash);
  std::optional<User> lookup_user(std::string_view username);
  bool is_revoked(const std::string& jti);
  void forget_username(const std::string& username);
  void forget_user(const User& user);
  bool activity_due(const std::string& key);
  void run_in_background(std::function<void()> task);
  static Principal principal_for(const User& user, CredentialKind via);

  AccountSettings settings_;
  AccountPorts ports_;
  UnixClock now_;
  JwtCodec jwt_;
  PasswordHasher hasher_;

  std::shared_mutex revoked_mutex_;
  std::unordered_map<std::string, std::int64_t> revoked_jtis_;  // jti → expires_at

  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedKey> key_cache_;    // by key hash
  std::unordered_map<std::string, CachedUser> user_cache_;  // by username

  std::mutex activity_mutex_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> last_stamped_;
};

}  // namespace companion::core
