#include "support/api_helpers.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace companion::testing {

std::string register_user(HttpClient& client, const std::string& username) {
  auto res =
      client.post_json("/api/auth/register",
                       boost::json::object{{"username", username}, {"password", "SecurePass123!"}});
  EXPECT_EQ(res.status, 201) << res.body;
  if (res.status != 201) return {};
  return std::string(res.json().at("access_token").as_string());
}

HeaderList bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

HttpResult post_form(HttpClient& client, const std::string& target, const std::string& token,
                     const std::vector<FormPart>& parts) {
  std::string body;
  for (const auto& p : parts) {
    body += "--" + form_boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty())
      body += "; filename=\"" + p.filename + "\"\r\nContent-Type: " + p.content_type;
    body += "\r\n\r\n" + p.value + "\r\n";
  }
  body += "--" + form_boundary + "--\r\n";
  auto headers = bearer(token);
  headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + form_boundary);
  return client.request("POST", target, body, headers);
}

}  // namespace companion::testing
