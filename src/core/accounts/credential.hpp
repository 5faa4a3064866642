#pragma once
// What a request presented to prove who it is, and where it came from (for allow-lists).
// Transport-neutral: the HTTP layer fills these from headers, query and cookies.
#include <string>

namespace companion::core {

// How the secret arrived. A Bearer secret may be a JWT or an API key; the other forms
// carry API keys (or the root key) only.
enum class CredentialScheme { Bearer, ApiKey };

struct PresentedCredential {
  CredentialScheme scheme = CredentialScheme::Bearer;
  std::string secret;
  std::string source;  // "authorization", "x-api-key", "query", "cookie": for messages
};

// The parts of a request an API key's allow-list is checked against.
struct RequestOrigin {
  std::string origin;     // Origin header
  std::string referer;    // Referer header
  std::string host;       // Host header
  std::string client_ip;  // peer address
};

}  // namespace companion::core
