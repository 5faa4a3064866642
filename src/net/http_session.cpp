// One HTTP/1.1 connection: read a head, plan it, read the body within the route's limit,
// answer (inline or via the worker pool), repeat while keep-alive holds.
#include <fcntl.h>
#include <unistd.h>

#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

#include "http/error.hpp"
#include "net/connection.hpp"

namespace companion::net {

namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class HttpSession final : public LiveConnection {
 public:
  HttpSession(tcp::socket socket, ConnectionEnv env) : stream_(std::move(socket)), env_(env) {}

  void begin_shutdown() override {
    closing_ = true;
    if (delegate_) {
      delegate_->begin_shutdown();
    } else if (idle_ && buffer_.size() == 0) {
      // Waiting for the next request with nothing of it received: close now. A request
      // whose head is partly here is served; the head timeout and the shutdown deadline
      // bound how long that can take.
      stream_.socket().cancel();
    }
  }

  asio::awaitable<void> run();

 private:
  enum class Outcome { Continue, Close, Upgrade };
  asio::awaitable<Outcome> serve_one();
  asio::awaitable<bool> write_response(http::Response& res, const http::Request& req,
                                       bool keep_alive);
  asio::awaitable<bool> write_file(bhttp::response<bhttp::empty_body>& head,
                                   const http::FileSlice& slice);
  asio::awaitable<void> reject(const http::Request& req, int status, std::string_view detail);
  asio::awaitable<void> linger();
  http::Request make_request(const bhttp::request<bhttp::string_body>& msg);
  // The peer's address, looked up once per connection rather than once per request.
  const std::string& remote_ip() {
    if (remote_ip_.empty()) {
      boost::system::error_code ec;
      auto ep = stream_.socket().remote_endpoint(ec);
      if (!ec) remote_ip_ = ep.address().to_string();
    }
    return remote_ip_;
  }

  beast::tcp_stream stream_;
  ConnectionEnv env_;
  beast::flat_buffer buffer_;
  bool closing_ = false;
  bool idle_ = false;
  LiveConnection* delegate_ = nullptr;  // an event stream in progress
  UpgradeRequest upgrade_;              // set when the answer is a WebSocket upgrade
  std::shared_ptr<http::WebSocketHandler> websocket_;
  std::size_t websocket_limit_ = 0;
  std::string remote_ip_;
};

std::string decode_path(std::string_view raw) {
  auto pct = boost::urls::make_pct_string_view(raw);
  if (!pct) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  for (char c : pct->decode()) out.push_back(c);
  return out;
}

http::Request HttpSession::make_request(const bhttp::request<bhttp::string_body>& msg) {
  http::Request req;
  auto method = http::parse_method(msg.method_string());
  req.method = method.value_or(http::Method::Get);
  req.target = std::string(msg.target());
  auto q = req.target.find('?');
  std::string_view raw_path = std::string_view(req.target).substr(0, q);
  // Percent-decoding is safe for routing only when it does not invent a separator.
  req.path =
      raw_path.find('%') == std::string_view::npos ? std::string(raw_path) : decode_path(raw_path);
  if (q != std::string::npos) req.query_string = req.target.substr(q + 1);
  for (const auto& field : msg) req.headers.add(field.name_string(), field.value());
  req.version = msg.version();
  req.remote_ip = remote_ip();
  req.received_at = http::Clock::now();
  return req;
}

asio::awaitable<void> HttpSession::reject(const http::Request& req, int status,
                                          std::string_view detail) {
  env_.app.observe_rejected(req, status);
  http::Response res = http::error_response(status, detail);
  co_await write_response(res, req, false);
  co_await linger();
}

// After refusing a request the client may still be sending (a huge body or header). Closing
// with unread data makes the kernel send a reset, which can destroy our answer before the
// client reads it; so stop sending, drain for a short while, then close.
asio::awaitable<void> HttpSession::linger() {
  boost::system::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16 * 1024> sink;
  std::size_t drained = 0;
  stream_.expires_after(std::chrono::seconds(2));
  while (drained < (64u << 20)) {
    auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), use_tuple);
    if (rec) break;
    drained += n;
  }
}

asio::awaitable<bool> HttpSession::write_file(bhttp::response<bhttp::empty_body>& head,
                                              const http::FileSlice& slice) {
  int fd = ::open(slice.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) co_return false;
  head.content_length(slice.length);
  bhttp::response_serializer<bhttp::empty_body> sr(head);
  auto [ec, n] = co_await bhttp::async_write_header(stream_, sr, use_tuple);
  std::array<char, 64 * 1024> chunk;
  std::uint64_t offset = slice.offset, left = slice.length;
  while (!ec && left > 0) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    ssize_t got = ::pread(fd, chunk.data(), want, static_cast<off_t>(offset));
    if (got <= 0) break;
    stream_.expires_after(env_.options.write_timeout);
    std::tie(ec, n) = co_await asio::async_write(
        stream_, asio::buffer(chunk.data(), static_cast<std::size_t>(got)), use_tuple);
    offset += static_cast<std::uint64_t>(got);
    left -= static_cast<std::uint64_t>(got);
  }
  ::close(fd);
  co_return !ec && left == 0;
}

asio::awaitable<bool> HttpSession::write_response(http::Response& res, const http::Request& req,
                                                  bool keep_alive) {
  stream_.expires_after(env_.options.write_timeout);
  const bool head_only = req.method == http::Method::Head;
  if (res.file && !head_only) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), req.version};
    for (const auto& [k, v] : res.headers.fields()) head.insert(k, v);
    head.keep_alive(keep_alive);
    bool complete = co_await write_file(head, *res.file);
    co_return complete&& keep_alive;
  }
  bhttp::response<bhttp::string_body> msg{static_cast<bhttp::status>(res.status), req.version};
  for (const auto& [k, v] : res.headers.fields()) msg.insert(k, v);
  msg.keep_alive(keep_alive);
  if (head_only) {
    msg.content_length(res.file ? res.file->length : res.body.size());
  } else {
    msg.body() = std::move(res.body);
    msg.prepare_payload();
  }
  bhttp::serializer<false, bhttp::string_body> sr(msg);
  if (head_only) sr.split(true);
  boost::system::error_code ec;
  if (head_only) {
    std::tie(ec, std::ignore) = co_await bhttp::async_write_header(stream_, sr, use_tuple);
  } else {
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_, sr, use_tuple);
  }
  co_return !ec && keep_alive;
}

// GCC 12 mis-destroys temporaries that appear inside co_await expressions, so every
// coroutine here takes named lvalues and stores results before testing them.
asio::awaitable<HttpSession::Outcome> HttpSession::serve_one() {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(env_.options.header_limit));
  // The route's limit is applied once the head is known; until then Content-Length is
  // checked by us (413), not refused by the parser.
  parser.body_limit(boost::none);
  stream_.expires_after(env_.options.header_timeout);
  idle_ = true;
  auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, use_tuple);
  idle_ = false;
  if (ec == bhttp::error::header_limit) {
    http::Request partial = make_request(parser.get());
    co_await reject(partial, 431, "Request header fields too large");
    co_return Outcome::Close;
  }
  if (ec) {
    bool quiet = ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
                 ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
                 ec == asio::error::eof || buffer_.size() == 0;
    if (!quiet) {
      http::Request unparsed;
      co_await reject(unparsed, 400, "Malformed HTTP request");
    }
    co_return Outcome::Close;
  }

  http::Request req = make_request(parser.get());
  if (!http::parse_method(parser.get().method_string())) {
    co_await reject(req, 405, "Method not allowed");
    co_return Outcome::Close;
  }
  RequestPlan plan = env_.app.plan(req);
  auto declared = parser.content_length();
  if (declared && *declared > plan.body_limit) {
    co_await reject(req, 413, "Request body too large");
    co_return Outcome::Close;
  }
  parser.body_limit(plan.body_limit);
  if (!parser.is_done()) {
    auto expect = parser.get()[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
      co_await bhttp::async_write(stream_, cont, use_tuple);
    }
    stream_.expires_after(env_.options.body_timeout);
    auto [body_ec, body_n] = co_await bhttp::async_read(stream_, buffer_, parser, use_tuple);
    if (body_ec == bhttp::error::body_limit) {
      co_await reject(req, 413, "Request body too large");
      co_return Outcome::Close;
    }
    if (body_ec) co_return Outcome::Close;
  }
  req.body = std::move(parser.get().body());
  bool keep_alive = parser.get().keep_alive();

  std::optional<http::Response> answer;
  if (plan.run_inline) {
    answer = env_.app.handle(req);
  } else {
    std::function<http::Response()> work = [&req, &app = env_.app] { return app.handle(req); };
    answer = co_await offload(env_.blocking_work, work);
  }
  if (!answer) {
    co_await reject(req, 503, "Server busy, try again");
    co_return Outcome::Close;
  }
  http::Response& res = *answer;

  if (res.websocket) {
    if (plan.websocket && beast::websocket::is_upgrade(parser.get())) {
      upgrade_ = parser.release();
      websocket_ = std::move(res.websocket);
      websocket_limit_ = plan.websocket_message_limit;
      co_return Outcome::Upgrade;
    }
    co_await reject(req, 400, "This endpoint needs a WebSocket upgrade");
    co_return Outcome::Close;
  }
  if (res.sse) {
    co_await serve_event_stream(stream_, res, req.version, env_, delegate_);
    delegate_ = nullptr;
    co_return Outcome::Close;
  }
  if (closing_) keep_alive = false;
  bool reusable = co_await write_response(res, req, keep_alive);
  co_return reusable ? Outcome::Continue : Outcome::Close;
}

asio::awaitable<void> HttpSession::run() {
  LiveGuard guard(env_.thread, this);
  Outcome outcome = Outcome::Continue;
  while (outcome == Outcome::Continue && !closing_ && !env_.thread.shutting_down) {
    outcome = co_await serve_one();
  }
  if (outcome == Outcome::Upgrade) {
    co_await serve_websocket(std::move(stream_), std::move(upgrade_), std::move(websocket_),
                             websocket_limit_, env_);
    co_return;
  }
  boost::system::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

asio::awaitable<void> serve_http(tcp::socket socket, ConnectionEnv env) {
  ++env.stats.active_connections;
  ++env.stats.total_connections;
  struct Count {
    ServerStats& s;
    ~Count() { --s.active_connections; }
  } count{env.stats};
  HttpSession session(std::move(socket), env);
  co_await session.run();
}

}  // namespace companion::net
