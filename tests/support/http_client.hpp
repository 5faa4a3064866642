#pragma once
// Blocking HTTP, SSE and WebSocket clients for tests, speaking to 127.0.0.1.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace companion::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  boost::json::value json() const;
  std::string header(const std::string& lower_name) const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One keep-alive connection; reconnects when the server closed it.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = {}, const HeaderList& headers = {});
  HttpResult get(const std::string& target, const HeaderList& headers = {}) {
    return request("GET", target, {}, headers);
  }
  HttpResult post_json(const std::string& target, const boost::json::value& body,
                       const HeaderList& headers = {});
  // Sends raw bytes and returns what the server answered before closing (or timeout).
  std::string raw(const std::string& bytes, std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct SseMessage {
  std::string event;
  std::string data;
  std::string id;
};

// Reads an event stream: open() sends the request, next() returns the next event.
class SseClient {
 public:
  SseClient(std::uint16_t port, const std::string& method, const std::string& target,
            const std::string& body = {}, const HeaderList& headers = {});
  ~SseClient();
  int status() const;
  std::optional<SseMessage> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WsClient {
 public:
  // Throws when the handshake fails; handshake_status() tells the HTTP status then.
  WsClient(std::uint16_t port, const std::string& target, const HeaderList& headers = {});
  ~WsClient();
  void send_text(const std::string& text);
  void send_binary(const std::string& bytes);
  // The next message, or std::nullopt when the connection closed (see close_code()).
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::optional<boost::json::value> read_json(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void close(std::uint16_t code = 1000);
  std::uint16_t close_code() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace companion::testing
