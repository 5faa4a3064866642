#pragma once
// The port through which URL ingestion fetches a document. The adapter enforces the
// server-side request forgery policy, a size limit and a deadline; the service only sees
// bytes or a typed refusal.
#include <stdexcept>
#include <string>
#include <string_view>

namespace companion::core {

struct FetchedDocument {
  std::string bytes;
  std::string filename;  // the last path segment of the final URL, or the host
  std::string content_type;
  std::string final_url;
};

class UrlFetchError : public std::runtime_error {
 public:
  enum class Kind {
    refused,    // bad URL or an address the policy does not allow
    too_large,  // larger than the size limit
    failed,     // unreachable, timed out, or answered with an error status
  };
  UrlFetchError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class UrlFetcher {
 public:
  virtual ~UrlFetcher() = default;
  // Blocking: call from the worker pool. Throws UrlFetchError.
  virtual FetchedDocument fetch(std::string_view url) const = 0;
};

}  // namespace companion::core
