#pragma once
// Who is making a request, once a credential has been checked.
#include <cstdint>
#include <string>

namespace companion::core {

enum class Role { User, Admin };

enum class CredentialKind { None, Jwt, ApiKey, RootKey, Open };

struct Principal {
  std::int64_t user_id = 0;  // internal id; 0 for the root key
  std::string username;      // the public user id of the seed documents
  Role role = Role::User;
  CredentialKind via = CredentialKind::None;
  std::string token_id;      // JWT jti or API key id, for logout / audit
  std::int64_t token_expires_at = 0;  // unix seconds, JWT only

  bool is_admin() const { return role == Role::Admin; }
  // An admin (or the root key) may act on behalf of any user a request names.
  bool may_act_for(const std::string& other_username) const {
    return is_admin() || other_username == username;
  }
};

}  // namespace companion::core
