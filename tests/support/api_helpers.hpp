#pragma once
// What most API tests do first: register a user, send its credential, upload a form.
#include <string>
#include <vector>

#include "support/http_client.hpp"

namespace companion::testing {

// The root key every TestServer accepts.
inline const std::string root_key = "root-test-key-0123456789";

// Registers the user (password "SecurePass123!") and returns its JWT.
std::string register_user(HttpClient& client, const std::string& username);
HeaderList bearer(const std::string& token);

struct FormPart {
  std::string name;
  std::string value;
  std::string filename;  // empty: a plain field
  std::string content_type = "application/octet-stream";
};
inline const std::string form_boundary = "----companionTestBoundary7MA4YWxk";

// POSTs the parts as multipart/form-data with the user's token.
HttpResult post_form(HttpClient& client, const std::string& target, const std::string& token,
                     const std::vector<FormPart>& parts);

}  // namespace companion::testing
