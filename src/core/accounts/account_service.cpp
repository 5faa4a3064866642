#include "core/accounts/account_service.hpp"

#include <ctime>

#include "core/accounts/secrets.hpp"

namespace companion::core {

namespace {

using SteadyClock = std::chrono::steady_clock;

// Bounds the lookup caches so that a flood of made-up keys cannot grow memory.
constexpr std::size_t cache_limit = 10000;

std::int64_t system_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// "u42" for a user, "k7" for an API key.
std::string activity_key(char kind, const std::string& id) {
  std::string key(1, kind);
  key.append(id);
  return key;
}

std::string new_jti() {
  return base64url_encode(random_bytes(16));
}

AuthOutcome failure(AuthFailureReason reason, std::vector<std::string> checks = {}) {
  return AuthFailure{reason, std::move(checks)};
}

}  // namespace

bool valid_username(std::string_view username) {
  if (username.empty() || username.size() > 64) return false;
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

AccountService::AccountService(AccountSettings settings, AccountPorts ports, UnixClock clock)
    : settings_(std::move(settings)),
      ports_(std::move(ports)),
      now_(clock ? std::move(clock) : UnixClock(system_now)),
      jwt_(settings_.jwt_secret),
      hasher_(settings_.password_ops_limit, settings_.password_mem_limit) {
  for (auto& [jti, expires_at] : ports_.revoked->load_active(now_()))
    revoked_jtis_.emplace(std::move(jti), expires_at);
}

Principal AccountService::principal_for(const User& user, CredentialKind via) {
  Principal p;
  p.user_id = user.id;
  p.username = user.username;
  p.role = user.role;
  p.via = via;
  return p;
}

// ---- registration, login, logout -------------------------------------------------------

std::string AccountService::issue_token(const User& user, std::int64_t ttl_seconds) {
  JwtClaims claims;
  claims.sub = user.username;
  claims.iat = now_();
  claims.exp = claims.iat + ttl_seconds;
  claims.jti = new_jti();
  return jwt_.encode(claims);
}

AccountResult<IssuedToken> AccountService::register_user(const NewUser& user,
                                                         std::string_view password) {
  auto added = add_user(user, password);
  if (!added.ok()) return {added.error()};
  IssuedToken t;
  t.user = *added;
  t.expires_at = now_() + settings_.jwt_ttl_seconds;
  t.access_token = issue_token(t.user, settings_.jwt_ttl_seconds);
  return {std::move(t)};
}

AccountResult<IssuedToken> AccountService::login(std::string_view username,
                                                 std::string_view password) {
  auto user = ports_.users->find_by_username(username);
  // Verify against a hash even for unknown users, so timing does not reveal which exist.
  static const std::string decoy = hasher_.hash("decoy-password-for-timing");
  bool verified = hasher_.verify(user ? user->password_hash : decoy, password);
  if (!user || user->password_hash.empty() || !verified) return {AccountError::InvalidCredentials};
  IssuedToken t;
  t.user = *user;
  t.expires_at = now_() + settings_.jwt_ttl_seconds;
  t.access_token = issue_token(t.user, settings_.jwt_ttl_seconds);
  return {std::move(t)};
}

void AccountService::logout(const Principal& principal) {
  if (principal.via != CredentialKind::Jwt || principal.token_id.empty()) return;
  // Write-through: durable first, then the in-memory set the hot path reads.
  ports_.revoked->add(principal.token_id, principal.token_expires_at);
  std::int64_t now = now_();
  std::unique_lock lock(revoked_mutex_);
  // Entries past their expiry are dead weight: such tokens fail the exp check anyway.
  std::erase_if(revoked_jtis_, [now](const auto& entry) { return entry.second <= now; });
  revoked_jtis_[principal.token_id] = principal.token_expires_at;
}

bool AccountService::is_revoked(const std::string& jti) {
  std::shared_lock lock(revoked_mutex_);
  return revoked_jtis_.find(jti) != revoked_jtis_.end();
}

// ---- users -------------------------------------------------------------------------------

AccountResult<User> AccountService::add_user(const NewUser& user, std::string_view password) {
  if (!valid_username(user.username)) return {AccountError::InvalidUsername};
  NewUser stored = user;
  stored.password_hash = password.empty() ? std::string() : hasher_.hash(password);
  auto created = ports_.users->create(stored, now_());
  if (!created) return {AccountError::UsernameTaken};
  forget_username(created->username);  // a cached "no such user" must not outlive the user
  return {std::move(*created)};
}

std::optional<User> AccountService::find_user(std::string_view username) {
  return ports_.users->find_by_username(username);
}

std::vector<User> AccountService::list_users() {
  return ports_.users->list();
}

AccountResult<User> AccountService::ensure_user(std::string_view username) {
  if (!valid_username(username)) return {AccountError::InvalidUsername};
  if (auto u = lookup_user(username)) return {std::move(*u)};
  NewUser n;
  n.username = std::string(username);
  if (auto created = ports_.users->create(n, now_())) {
    forget_username(created->username);
    return {std::move(*created)};
  }
  // Another request created it first.
  if (auto u = ports_.users->find_by_username(username)) return {std::move(*u)};
  return {AccountError::UnknownUser};
}

UserProfile AccountService::profile(const User& user) {
  return ports_.users->profile(user.id);
}

UserActivityCounts AccountService::activity_counts(const User& user) {
  return ports_.users->activity_counts(user.id);
}

void AccountService::update_profile(const User& user, const ProfileUpdate& update) {
  ports_.users->update_profile(user.id, update, now_());
}

DeletedUserData AccountService::delete_user(const User& user) {
  auto deleted = ports_.users->remove(user.id);
  forget_user(user);
  return deleted;
}

void AccountService::forget_username(const std::string& username) {
  std::lock_guard lock(cache_mutex_);
  user_cache_.erase(username);
}

void AccountService::forget_user(const User& user) {
  std::lock_guard lock(cache_mutex_);
  user_cache_.erase(user.username);
  // The user's keys went with it (ON DELETE CASCADE); drop every cached key of that owner.
  for (auto it = key_cache_.begin(); it != key_cache_.end();) {
    if (it->second.record && it->second.record->user_id == user.id)
      it = key_cache_.erase(it);
    else
      ++it;
  }
}

std::optional<User> AccountService::lookup_user(std::string_view username) {
  std::string name(username);
  auto now = SteadyClock::now();
  {
    std::lock_guard lock(cache_mutex_);
    auto it = user_cache_.find(name);
    if (it != user_cache_.end() && it->second.expires > now) return it->second.user;
  }
  auto user = ports_.users->find_by_username(username);
  std::lock_guard lock(cache_mutex_);
  if (user_cache_.size() >= cache_limit) user_cache_.clear();
  user_cache_[name] = CachedUser{user, now + settings_.key_cache_ttl};
  return user;
}

// ---- API keys ----------------------------------------------------------------------------

AccountResult<CreatedApiKey> AccountService::create_api_key(std::string_view owner_username,
                                                            std::string_view name,
                                                            AllowList allow_list) {
  if (auto problem = allow_list.validate(); !problem.empty()) {
    AccountResult<CreatedApiKey> r{AccountError::InvalidAllowList};
    r.detail = problem;
    return r;
  }
  auto owner = ports_.users->find_by_username(owner_username);
  if (!owner) return {AccountError::UnknownUser};
  auto generated = generate_api_key();
  ApiKeyRecord record;
  record.user_id = owner->id;
  record.name = std::string(name);
  record.key_hash = generated.key_hash;
  record.prefix = generated.prefix;
  record.allow_list = std::move(allow_list);
  record.created_at = now_();
  CreatedApiKey created{ports_.keys->insert(record), generated.secret};
  return {std::move(created)};
}

std::vector<ApiKeyRecord> AccountService::list_api_keys() {
  return ports_.keys->list();
}

std::optional<ApiKeyRecord> AccountService::revoke_api_key(std::int64_t id) {
  auto revoked = ports_.keys->revoke(id, now_());
  if (revoked) {
    // Immediate: the next request with this key misses the cache and sees revoked_at.
    std::lock_guard lock(cache_mutex_);
    key_cache_.erase(revoked->key_hash);
  }
  return revoked;
}

std::optional<ApiKeyRecord> AccountService::lookup_key(const std::string& key_hash) {
  auto now = SteadyClock::now();
  {
    std::lock_guard lock(cache_mutex_);
    auto it = key_cache_.find(key_hash);
    if (it != key_cache_.end() && it->second.expires > now) return it->second.record;
  }
  auto record = ports_.keys->find_by_hash(key_hash);
  std::lock_guard lock(cache_mutex_);
  if (key_cache_.size() >= cache_limit) key_cache_.clear();
  key_cache_[key_hash] = CachedKey{record, now + settings_.key_cache_ttl};
  return record;
}

std::optional<CreatedApiKey> AccountService::bootstrap_admin() {
  if (!settings_.root_api_key.empty() || ports_.users->any_admin()) return std::nullopt;
  NewUser admin;
  admin.username = "admin";
  admin.name = "Administrator";
  admin.role = Role::Admin;
  auto created = ports_.users->create(admin, now_());
  // "admin" may be an ordinary user's name already; pick a fresh one then.
  while (!created) {
    admin.username = std::string("admin_").append(random_base62(6));
    created = ports_.users->create(admin, now_());
  }
  auto key = create_api_key(created->username, "bootstrap admin key", {});
  if (!key.ok()) return std::nullopt;
  return std::move(*key);
}

// ---- acting for a user -------------------------------------------------------------------

AccountResult<Principal> AccountService::resolve_acting_user(const Principal& principal,
                                                             std::string_view named) {
  if (named.empty() || named == principal.username) return {principal};
  if (!principal.is_admin()) return {AccountError::NotAllowed};
  auto user = ensure_user(named);
  if (!user.ok()) return {user.error()};
  Principal acting = principal_for(*user, principal.via);
  return {std::move(acting)};
}

// ---- authentication ----------------------------------------------------------------------

AuthOutcome AccountService::authenticate(const PresentedCredential& credential,
                                         const RequestOrigin& origin) {
  const std::string& secret = credential.secret;
  if (secret.empty()) return failure(AuthFailureReason::Malformed);
  if (!settings_.root_api_key.empty() && constant_time_equal(secret, settings_.root_api_key)) {
    Principal root;
    root.user_id = 0;
    root.username = "root";
    root.role = Role::Admin;
    root.via = CredentialKind::RootKey;
    return root;
  }
  if (credential.scheme == CredentialScheme::Bearer && JwtCodec::looks_like_jwt(secret))
    return authenticate_jwt(secret);
  return authenticate_api_key(secret, origin);
}

AuthOutcome AccountService::authenticate_jwt(std::string_view token) {
  auto decoded = jwt_.decode(token, now_());
  if (auto* error = std::get_if<JwtError>(&decoded)) {
    switch (*error) {
      case JwtError::Expired:
        return failure(AuthFailureReason::Expired);
      case JwtError::BadSignature:
        return failure(AuthFailureReason::BadSignature);
      default:
        return failure(AuthFailureReason::Malformed);
    }
  }
  const auto& claims = std::get<JwtClaims>(decoded);
  if (!claims.jti.empty() && is_revoked(claims.jti)) return failure(AuthFailureReason::Revoked);
  auto user = lookup_user(claims.sub);
  if (!user) return failure(AuthFailureReason::UnknownUser);
  Principal p = principal_for(*user, CredentialKind::Jwt);
  p.token_id = claims.jti;
  p.token_expires_at = claims.exp;
  return p;
}

AuthOutcome AccountService::authenticate_api_key(std::string_view key,
                                                 const RequestOrigin& origin) {
  if (key.size() > 512) return failure(AuthFailureReason::Malformed);
  // The stored hash is an index, so the lookup itself leaks nothing about other keys.
  auto record = lookup_key(sha256_hex(key));
  if (!record) return failure(AuthFailureReason::UnknownKey);
  if (record->revoked_at) return failure(AuthFailureReason::Revoked);
  auto failed = record->allow_list.failed_checks(origin);
  if (!failed.empty()) return failure(AuthFailureReason::AllowListMiss, std::move(failed));
  auto user = lookup_user(record->username);
  if (!user) return failure(AuthFailureReason::UnknownUser);
  Principal p = principal_for(*user, CredentialKind::ApiKey);
  p.token_id = std::to_string(record->id);
  return p;
}

std::optional<Principal> AccountService::open_principal(std::string_view username) {
  auto user = ensure_user(username);
  if (!user.ok()) return std::nullopt;
  return principal_for(*user, CredentialKind::Open);
}

// ---- activity ----------------------------------------------------------------------------

bool AccountService::activity_due(const std::string& key) {
  auto now = SteadyClock::now();
  std::lock_guard lock(activity_mutex_);
  auto [it, inserted] = last_stamped_.try_emplace(key, now);
  if (inserted) {
    if (last_stamped_.size() > cache_limit) {
      last_stamped_.clear();
      last_stamped_.emplace(key, now);
    }
    return true;
  }
  if (now - it->second < settings_.activity_interval) return false;
  it->second = now;
  return true;
}

void AccountService::run_in_background(std::function<void()> task) {
  if (ports_.background == nullptr) {
    task();
    return;
  }
  // A full queue drops the stamp: it is advisory and the next request retries.
  ports_.background->try_post(std::move(task));
}

void AccountService::note_activity(const Principal& principal) {
  if (principal.user_id == 0) return;  // the root key has no user row
  std::int64_t now = now_();
  if (activity_due(activity_key('u', std::to_string(principal.user_id)))) {
    run_in_background([users = ports_.users, id = principal.user_id, now] {
      try {
        users->touch_last_active(id, now);
      } catch (...) {
        // The user may have been deleted meanwhile; nothing to stamp then.
      }
    });
  }
  if (principal.via == CredentialKind::ApiKey &&
      activity_due(activity_key('k', principal.token_id))) {
    run_in_background([keys = ports_.keys, id = std::stoll(principal.token_id), now] {
      try {
        keys->touch_last_used(id, now);
      } catch (...) {
      }
    });
  }
}

}  // namespace companion::core
