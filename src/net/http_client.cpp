// The outbound client. Each call runs a private io_context on the calling thread rather than
// sharing a client io thread: callers are worker-pool threads that block anyway, so this
// adds no thread hop per received chunk, lets a streaming callback block (parse, queue,
// even wait for a slow consumer) without stalling anyone else's requests, and a call's
// sockets, timers and cancellation live and die with that call. The price is one
// io_context (and, when a name is resolved, Asio's resolver thread) per call, which is
// small next to the round trips an outbound request makes.
#include "net/http_client.hpp"

#include <openssl/ssl.h>

#include <array>
#include <exception>
#include <optional>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "net/outbound_target.hpp"

namespace companion::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Kind = HttpClientError::Kind;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

core::IpAddress to_ip_address(const asio::ip::address& address) {
  core::IpAddress out;
  if (address.is_v4()) {
    auto bytes = address.to_v4().to_bytes();
    std::copy(bytes.begin(), bytes.end(), out.bytes.begin());
  } else {
    out.v6 = true;
    auto bytes = address.to_v6().to_bytes();
    std::copy(bytes.begin(), bytes.end(), out.bytes.begin());
  }
  return out;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// The request a hop sends: the caller's fields, minus those this client owns.
bhttp::request<bhttp::string_body> build_request(const std::string& method,
                                                 const OutboundTarget& target,
                                                 const http::Headers& headers,
                                                 const std::string& body,
                                                 const std::string& user_agent) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target.target);
  req.version(11);
  for (const auto& [name, value] : headers.fields()) {
    if (http::iequals(name, "content-length") || http::iequals(name, "transfer-encoding") ||
        http::iequals(name, "connection"))
      continue;
    req.insert(name, value);
  }
  if (!headers.has("host")) req.set(bhttp::field::host, target.host_header);
  if (!headers.has("user-agent")) req.set(bhttp::field::user_agent, user_agent);
  // Keep-alive buys nothing when every call opens its own connection; say so to the server.
  req.set(bhttp::field::connection, "close");
  req.body() = body;
  bool carries_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (carries_body) req.prepare_payload();
  return req;
}

http::Headers copy_headers(const bhttp::response_header<>& head) {
  http::Headers out;
  for (const auto& field : head) out.add(field.name_string(), field.value());
  return out;
}

// One call: resolve, check, connect, ask, read; again for each redirect hop.
class Exchange {
 public:
  Exchange(const HttpClientOptions& options, asio::ssl::context& tls,
           const HttpClientRequest& request, const HeadersCallback& on_headers,
           const DataCallback& on_data)
      : options_(options),
        tls_(tls),
        request_(request),
        on_headers_(on_headers),
        on_data_(on_data),
        deadline_(Clock::now() + request.timeouts.total) {}

  HttpClientResponse run();

 private:
  enum class Phase { resolve, connect, handshake, exchange };

  asio::awaitable<void> follow_hops();
  asio::awaitable<std::vector<tcp::endpoint>> resolve_checked(const OutboundTarget& target);
  asio::awaitable<void> open_connection(const OutboundTarget& target,
                                        const std::vector<tcp::endpoint>& endpoints);
  template <class Stream>
  asio::awaitable<std::optional<std::string>> converse(Stream& stream, const OutboundTarget& target,
                                                       bhttp::request<bhttp::string_body>& req,
                                                       bool may_redirect);
  template <class Stream>
  asio::awaitable<void> read_body(Stream& stream, bhttp::response_parser<bhttp::buffer_body>& p);

  beast::tcp_stream& lowest_layer();
  void arm(std::chrono::milliseconds limit);
  void abort_io();
  void close_connection();
  [[noreturn]] void fail(Phase phase, const boost::system::error_code& ec);
  [[noreturn]] void fail(Kind kind, const std::string& message);
  void check_not_cancelled();

  const HttpClientOptions& options_;
  asio::ssl::context& tls_;
  const HttpClientRequest& request_;
  const HeadersCallback& on_headers_;
  const DataCallback& on_data_;
  const Clock::time_point deadline_;

  // Declared before the sockets: they must be destroyed first.
  asio::io_context io_{1};
  tcp::resolver resolver_{io_};
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
  beast::flat_buffer buffer_;
  bool deadline_armed_ = false;  // whether the last timer was the total deadline
  HttpClientResponse response_;
};

HttpClientResponse Exchange::run() {
  check_not_cancelled();
  // cancel() may come from any thread; the sockets belong to this one, so hand it over.
  auto registration =
      request_.cancellation.on_cancel([this] { asio::post(io_, [this] { abort_io(); }); });
  std::exception_ptr failure;
  asio::co_spawn(io_, follow_hops(), [&failure](std::exception_ptr e) { failure = e; });
  io_.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(response_);
}

asio::awaitable<void> Exchange::follow_hops() {
  std::string method = request_.method;
  std::string body = request_.body;
  http::Headers headers = request_.headers;
  OutboundTarget target = parse_outbound_url(request_.url);
  for (int hop = 0;; ++hop) {
    bool may_redirect = hop < request_.max_redirects;
    auto endpoints = co_await resolve_checked(target);
    co_await open_connection(target, endpoints);
    auto req = build_request(method, target, headers, body, options_.user_agent);
    std::optional<std::string> location;
    if (secure_) {
      location = co_await converse(*secure_, target, req, may_redirect);
    } else {
      location = co_await converse(*plain_, target, req, may_redirect);
    }
    close_connection();
    if (!location) co_return;

    auto next = parse_outbound_url(resolve_location(target.url, *location));
    int status = response_.status;
    // As browsers do: 303, and 301/302 after a POST, repeat the request as a GET.
    if (status == 303 || ((status == 301 || status == 302) && method == "POST")) {
      if (method != "HEAD") method = "GET";
      body.clear();
      headers.remove("content-type");
    }
    // Credentials meant for one origin are not handed to another.
    if (!next.same_origin(target)) {
      headers.remove("authorization");
      headers.remove("proxy-authorization");
      headers.remove("cookie");
    }
    headers.remove("host");
    target = std::move(next);
  }
}

asio::awaitable<std::vector<tcp::endpoint>> Exchange::resolve_checked(
    const OutboundTarget& target) {
  check_not_cancelled();
  // The resolver has no timeout of its own; a timer cancels it. (A lookup already inside
  // getaddrinfo still finishes first: the system resolver's own timeouts bound that.)
  asio::steady_timer guard(io_);
  auto budget = std::min<Clock::duration>(request_.timeouts.connect, deadline_ - Clock::now());
  guard.expires_after(budget);
  bool timed_out = false;
  guard.async_wait([this, &timed_out](boost::system::error_code ec) {
    if (ec) return;
    timed_out = true;
    resolver_.cancel();
  });
  std::string port = std::to_string(target.port);
  auto [ec, results] = co_await resolver_.async_resolve(target.host, port, use_tuple);
  guard.cancel();
  if (timed_out) fail(Kind::timeout, "resolving " + target.host + " timed out");
  if (ec) fail(Phase::resolve, ec);

  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) {
    auto address = to_ip_address(entry.endpoint().address());
    // One refused address refuses the host: a name that answers with both a public and a
    // private address is exactly what a rebinding attack looks like.
    if (auto why = options_.policy.refusal(target.host, address))
      fail(Kind::refused_by_policy, *why);
    endpoints.push_back(entry.endpoint());
  }
  if (endpoints.empty()) fail(Kind::dns, target.host + " has no address");
  co_return endpoints;
}

asio::awaitable<void> Exchange::open_connection(const OutboundTarget& target,
                                                const std::vector<tcp::endpoint>& endpoints) {
  check_not_cancelled();
  buffer_.clear();
  // A redirect may switch between http and https: the previous hop's stream is done.
  plain_.reset();
  secure_.reset();
  if (target.tls) {
    secure_.emplace(io_, tls_);
    // SNI carries names only; an address literal is verified against the certificate's IPs.
    if (!is_ip_literal(target.host))
      SSL_set_tlsext_host_name(secure_->native_handle(), target.host.c_str());
    if (options_.tls.verify_peer) {
      secure_->set_verify_mode(asio::ssl::verify_peer);
      secure_->set_verify_callback(asio::ssl::host_name_verification(target.host));
    } else {
      secure_->set_verify_mode(asio::ssl::verify_none);
    }
  } else {
    plain_.emplace(io_);
  }
  arm(request_.timeouts.connect);
  auto [ec, endpoint] = co_await lowest_layer().async_connect(endpoints, use_tuple);
  if (ec) fail(Phase::connect, ec);
  if (secure_) {
    auto [hec] = co_await secure_->async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (hec) fail(Phase::handshake, hec);
  }
}

// Sends the request and reads the answer's head; returns the next URL for a redirect that
// is to be followed, otherwise hands the head and body to the callbacks.
template <class Stream>
asio::awaitable<std::optional<std::string>> Exchange::converse(
    Stream& stream, const OutboundTarget& target, bhttp::request<bhttp::string_body>& req,
    bool may_redirect) {
  arm(request_.timeouts.idle);
  auto [wec, written] = co_await bhttp::async_write(stream, req, use_tuple);
  if (wec) fail(Phase::exchange, wec);

  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(request_.max_response_bytes);
  if (req.method() == bhttp::verb::head) parser.skip(true);  // a HEAD answer has no body
  arm(request_.timeouts.idle);
  auto [ec, n] = co_await bhttp::async_read_header(stream, buffer_, parser, use_tuple);
  if (ec) fail(Phase::exchange, ec);

  response_.status = parser.get().result_int();
  response_.headers = copy_headers(parser.get().base());
  response_.final_url = target.url;
  auto location = response_.headers.get("location");
  if (is_redirect(response_.status) && location) {
    if (may_redirect) co_return std::string(*location);
    if (request_.max_redirects > 0) fail(Kind::protocol, "too many redirects");
  }
  // A callback that declines the head or a chunk ends the call; the caller closes.
  if (!on_headers_(response_.status, response_.headers)) co_return std::nullopt;
  co_await read_body(stream, parser);
  co_return std::nullopt;
}

template <class Stream>
asio::awaitable<void> Exchange::read_body(Stream& stream,
                                          bhttp::response_parser<bhttp::buffer_body>& parser) {
  std::array<char, kReadChunk> chunk;
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    arm(request_.timeouts.idle);
    // read_some returns after one socket read, so bytes reach the caller as they arrive.
    auto [ec, n] = co_await bhttp::async_read_some(stream, buffer_, parser, use_tuple);
    if (ec && ec != bhttp::error::need_buffer) fail(Phase::exchange, ec);
    std::size_t got = chunk.size() - parser.get().body().size;
    if (got == 0) continue;
    std::string_view bytes(chunk.data(), got);
    if (!on_data_(bytes)) co_return;
  }
}

beast::tcp_stream& Exchange::lowest_layer() {
  return secure_ ? beast::get_lowest_layer(*secure_) : *plain_;
}

// The next operation may wait `limit`, but never past the call's deadline.
void Exchange::arm(std::chrono::milliseconds limit) {
  auto left = deadline_ - Clock::now();
  if (left <= Clock::duration::zero()) fail(Kind::timeout, "the request's deadline passed");
  deadline_armed_ = left < limit;
  if (plain_ || secure_) lowest_layer().expires_after(deadline_armed_ ? left : limit);
}

void Exchange::abort_io() {
  resolver_.cancel();
  close_connection();
}

void Exchange::close_connection() {
  // Keep-alive is not offered and a TLS close_notify would only add a round trip: the
  // response is complete or abandoned, so the socket just closes.
  if (plain_) plain_->close();
  if (secure_) beast::get_lowest_layer(*secure_).close();
}

void Exchange::check_not_cancelled() {
  if (request_.cancellation.cancelled()) fail(Kind::cancelled, "the request was cancelled");
}

void Exchange::fail(Kind kind, const std::string& message) {
  close_connection();
  throw HttpClientError(kind, message);
}

void Exchange::fail(Phase phase, const boost::system::error_code& ec) {
  check_not_cancelled();
  if (ec == beast::error::timeout) {
    if (deadline_armed_) fail(Kind::timeout, "the request's deadline passed");
    if (phase == Phase::exchange)
      fail(Kind::timeout,
           "no data from the server for " + std::to_string(request_.timeouts.idle.count()) + " ms");
    fail(Kind::timeout, "connecting timed out");
  }
  if (ec == bhttp::error::body_limit)
    fail(Kind::too_large,
         "the response body exceeds " + std::to_string(request_.max_response_bytes) + " bytes");
  if (ec == bhttp::error::header_limit) fail(Kind::too_large, "the response head is too large");
  switch (phase) {
    case Phase::resolve:
      fail(Kind::dns, "cannot resolve the host: " + ec.message());
    case Phase::connect:
      fail(Kind::connect, "cannot connect: " + ec.message());
    case Phase::handshake:
      fail(Kind::tls, "TLS handshake failed: " + ec.message());
    case Phase::exchange:
      break;
  }
  if (ec.category() == asio::error::get_ssl_category())
    fail(Kind::tls, "TLS error: " + ec.message());
  fail(Kind::protocol, "the response did not complete: " + ec.message());
}

void configure_tls(asio::ssl::context& tls, const TlsOptions& options) {
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  if (!options.verify_peer) return;
  tls.set_default_verify_paths();
  if (!options.extra_ca_file.empty()) tls.load_verify_file(options.extra_ca_file);
}

}  // namespace

std::string_view to_string(HttpClientError::Kind kind) {
  switch (kind) {
    case Kind::dns:
      return "dns";
    case Kind::connect:
      return "connect";
    case Kind::tls:
      return "tls";
    case Kind::timeout:
      return "timeout";
    case Kind::too_large:
      return "too_large";
    case Kind::cancelled:
      return "cancelled";
    case Kind::protocol:
      return "protocol";
    case Kind::refused_by_policy:
      return "refused_by_policy";
  }
  return "unknown";
}

struct HttpClient::Impl {
  HttpClientOptions options;
  // Configured once, then only read: creating connections from it is thread-safe.
  asio::ssl::context tls{asio::ssl::context::tls_client};
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  try {
    configure_tls(impl_->tls, impl_->options.tls);
  } catch (const boost::system::system_error& e) {
    throw std::invalid_argument("cannot load the TLS trust store: " + std::string(e.what()));
  }
}

HttpClient::~HttpClient() = default;

HttpClientResponse HttpClient::fetch(const HttpClientRequest& request) const {
  std::string body;
  HeadersCallback keep_going = [](int, const http::Headers&) { return true; };
  DataCallback collect = [&body](std::string_view chunk) {
    body.append(chunk);
    return true;
  };
  Exchange exchange(impl_->options, impl_->tls, request, keep_going, collect);
  auto response = exchange.run();
  response.body = std::move(body);
  return response;
}

HttpClientResponse HttpClient::stream(const HttpClientRequest& request,
                                      const HeadersCallback& on_headers,
                                      const DataCallback& on_data) const {
  Exchange exchange(impl_->options, impl_->tls, request, on_headers, on_data);
  return exchange.run();
}

}  // namespace companion::net
