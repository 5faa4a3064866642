#pragma once
// A scripted HTTP(S) server for testing outbound clients: it accepts on 127.0.0.1, reads one
// request, and lets the test write the answer byte by byte, so the test controls where the
// client's reads split, when the server stalls, and how the connection ends.
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

typedef struct ssl_st SSL;

namespace companion::testing {

struct SelfSignedCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

// A fresh key and certificate, valid for a day, for the given subject alternative names in
// OpenSSL's form: "DNS:localhost,IP:127.0.0.1".
SelfSignedCertificate make_self_signed_certificate(const std::string& subject_alt_names);

// One accepted connection, seen from the server's side.
class FakeConnection {
 public:
  FakeConnection(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}

  // The request head and body as received ("GET /x HTTP/1.1\r\nHost: ...\r\n\r\nbody").
  const std::string& request() const { return request_; }
  std::string method() const;
  std::string target() const;
  std::string body() const;
  // The value of a request header (case-insensitive name), empty when absent.
  std::string header(std::string_view name) const;

  // False once the peer has gone.
  bool send(std::string_view bytes);
  // Each piece is its own write, followed by a pause, so that the client's reads split there.
  bool send_pieces(std::initializer_list<std::string_view> pieces);
  // Waits until the client closes the connection (EOF or reset); false when it did not
  // within `limit`. Anything the client sends meanwhile is discarded.
  bool wait_for_close(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Ends the connection with a TCP reset instead of an orderly close.
  void reset();

 private:
  friend class FakeHttpServer;
  bool read_request();
  long receive(char* data, std::size_t size);

  int fd_;
  SSL* ssl_;
  std::string request_;
  std::size_t head_size_ = 0;
};

class FakeHttpServer {
 public:
  using Handler = std::function<void(FakeConnection&)>;
  // Serves each connection with `handler`, one at a time, until destroyed. With a
  // certificate the server speaks TLS.
  explicit FakeHttpServer(Handler handler, std::optional<SelfSignedCertificate> tls = std::nullopt);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::uint16_t port() const;
  // "http://127.0.0.1:<port><path>" (https with TLS).
  std::string url(std::string_view path = "/") const;
  // Connections accepted so far.
  int connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace companion::testing
