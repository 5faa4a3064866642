// One HTTP/1.1 connection: read a head, plan it, read the body within the route's limit,
// answer (inline or via the worker pool), repeat while keep-alive holds.
#include <fcntl.h>
#include <unistd.h>

#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

#include "http/error.hpp"
#include "net/connection.hpp"
#include "net/response_head.hpp"

namespace companion::net {

namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

using RequestParser = bhttp::request_parser<bhttp::string_body>;

class HttpSession final : public LiveConnection {
 public:
  HttpSession(tcp::socket socket, ConnectionEnv env) : stream_(std::move(socket)), env_(env) {}

  void enforce_deadline(SteadyClock::time_point now) override {
    if (now < deadline_) return;
    deadline_ = no_deadline;
    // The pending read or write completes with operation_aborted and the session closes.
    boost::system::error_code ignored;
    stream_.socket().cancel(ignored);
  }

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
  static constexpr SteadyClock::time_point no_deadline = SteadyClock::time_point::max();
  static constexpr std::size_t read_chunk = 65536;  // most bytes one read asks for

  // Bounds the socket operation that follows. The socket is used directly rather than
  // through the stream's own per-operation timer; the thread's deadline sweep enforces this.
  void arm(std::chrono::seconds timeout) { deadline_ = env_.thread.now + timeout; }
  // Before the stream is handed to an event stream or a WebSocket, which time themselves.
  void disarm() { deadline_ = no_deadline; }

  // The request path awaits socket operations directly rather than through nested
  // coroutines, whose frames would be allocated for every request; the steps around the
  // reads and writes are plain functions.
  asio::awaitable<Outcome> serve_one();
  beast::error_code parse_buffered(RequestParser& parser, bool whole_message);
  asio::mutable_buffer read_space();
  beast::error_code take_read(RequestParser& parser, bool whole_message,
                              beast::error_code read_error, std::size_t bytes);
  bool format_plain_head(const http::Response& res, const http::Request& req, bool keep_alive);
  std::array<asio::const_buffer, 2> plain_answer(const http::Response& res,
                                                 const http::Request& req) const;
  asio::awaitable<bool> write_response(http::Response& res, const http::Request& req,
                                       bool keep_alive);
  asio::awaitable<beast::error_code> write_serialized(http::Response& res, const http::Request& req,
                                                      bool keep_alive);
  asio::awaitable<bool> write_file(bhttp::response<bhttp::empty_body>& head,
                                   const http::FileSlice& slice);
  asio::awaitable<void> reject(const http::Request& req, int status, std::string_view detail);
  // Answers a head that could not be read (431, 400) unless the peer simply went away.
  asio::awaitable<void> refuse_head(const RequestParser& parser, beast::error_code ec);
  asio::awaitable<void> send_continue(unsigned version);
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
  std::string head_;  // the answer's status line and fields, reused across requests
  SteadyClock::time_point deadline_ = no_deadline;
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
  std::size_t fields = 0;
  for (auto it = msg.begin(); it != msg.end(); ++it) ++fields;
  req.headers.reserve(fields);
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
  arm(std::chrono::seconds(2));
  while (drained < (64u << 20)) {
    auto [rec, n] = co_await stream_.socket().async_read_some(asio::buffer(sink), use_tuple);
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
  arm(env_.options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write_header(stream_.socket(), sr, use_tuple);
  std::array<char, 64 * 1024> chunk;
  std::uint64_t offset = slice.offset, left = slice.length;
  while (!ec && left > 0) {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    ssize_t got = ::pread(fd, chunk.data(), want, static_cast<off_t>(offset));
    if (got <= 0) break;
    arm(env_.options.write_timeout);
    std::tie(ec, n) = co_await asio::async_write(
        stream_.socket(), asio::buffer(chunk.data(), static_cast<std::size_t>(got)), use_tuple);
    offset += static_cast<std::uint64_t>(got);
    left -= static_cast<std::uint64_t>(got);
  }
  ::close(fd);
  co_return !ec && left == 0;
}

// Answers whose fields need no merging (nearly all) have their head formatted directly
// and leave with their body in one gathered write; the rest go through the general
// serializer. False: use write_response.
bool HttpSession::format_plain_head(const http::Response& res, const http::Request& req,
                                    bool keep_alive) {
  const bool head_only = req.method == http::Method::Head;
  if (res.file && !head_only) return false;
  // Informational, 204 and 304 answers carry no body; the serializer refuses one.
  const bool bodiless_status = res.status < 200 || res.status == 204 || res.status == 304;
  if (bodiless_status && !head_only && !res.body.empty()) return false;
  const std::uint64_t length = head_only && res.file ? res.file->length : res.body.size();
  return format_response_head(res.status, req.version, res.headers, keep_alive, length, head_);
}

// The head formatted by format_plain_head and the body, unless only the head was asked for.
std::array<asio::const_buffer, 2> HttpSession::plain_answer(const http::Response& res,
                                                            const http::Request& req) const {
  if (req.method == http::Method::Head) return {asio::buffer(head_), asio::const_buffer()};
  return {asio::buffer(head_), asio::buffer(res.body)};
}

asio::awaitable<bool> HttpSession::write_response(http::Response& res, const http::Request& req,
                                                  bool keep_alive) {
  boost::system::error_code ec;
  if (format_plain_head(res, req, keep_alive)) {
    arm(env_.options.write_timeout);
    auto parts = plain_answer(res, req);
    std::tie(ec, std::ignore) = co_await asio::async_write(stream_.socket(), parts, use_tuple);
    co_return !ec && keep_alive;
  }
  if (res.file && req.method != http::Method::Head) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), req.version};
    for (const auto& [k, v] : res.headers.fields()) head.insert(k, v);
    head.keep_alive(keep_alive);
    bool complete = co_await write_file(head, *res.file);
    co_return complete&& keep_alive;
  }
  arm(env_.options.write_timeout);
  ec = co_await write_serialized(res, req, keep_alive);
  co_return !ec && keep_alive;
}

asio::awaitable<beast::error_code> HttpSession::write_serialized(http::Response& res,
                                                                 const http::Request& req,
                                                                 bool keep_alive) {
  const bool head_only = req.method == http::Method::Head;
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
    std::tie(ec, std::ignore) = co_await bhttp::async_write_header(stream_.socket(), sr, use_tuple);
  } else {
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream_.socket(), sr, use_tuple);
  }
  co_return ec;
}

// Feeds the buffered bytes to the parser until it holds the head (or, with whole_message,
// the whole request). need_more: read_space() must be filled from the socket first. These
// are the steps of the library's read algorithm, without its per-operation timer: the
// connection deadline bounds the wait.
beast::error_code HttpSession::parse_buffered(RequestParser& parser, bool whole_message) {
  beast::error_code ec;
  for (;;) {
    if (whole_message ? parser.is_done() : parser.is_header_done()) return {};
    if (buffer_.size() == 0) break;
    auto used = parser.put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) break;
    if (ec) return ec;
  }
  if (beast::read_size(buffer_, read_chunk) == 0) return bhttp::error::buffer_overflow;
  return bhttp::error::need_more;
}

asio::mutable_buffer HttpSession::read_space() {
  return buffer_.prepare(beast::read_size(buffer_, read_chunk));
}

beast::error_code HttpSession::take_read(RequestParser& parser, bool whole_message,
                                         beast::error_code read_error, std::size_t bytes) {
  if (read_error == asio::error::eof) {
    // The peer closed: a message without a length may end here; otherwise say so.
    if (!parser.got_some()) return bhttp::error::end_of_stream;
    beast::error_code ec;
    parser.put_eof(ec);
    return ec;
  }
  if (read_error) return read_error;
  buffer_.commit(bytes);
  return parse_buffered(parser, whole_message);
}

// The rare exits of the request path live in coroutines of their own, so that their
// locals do not enlarge the frame serve_one allocates for every request.
asio::awaitable<void> HttpSession::refuse_head(const RequestParser& parser, beast::error_code ec) {
  if (ec == bhttp::error::header_limit) {
    http::Request partial = make_request(parser.get());
    co_await reject(partial, 431, "Request header fields too large");
    co_return;
  }
  bool quiet = ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
               ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
               ec == asio::error::eof || buffer_.size() == 0;
  if (quiet) co_return;
  http::Request unparsed;
  co_await reject(unparsed, 400, "Malformed HTTP request");
}

asio::awaitable<void> HttpSession::send_continue(unsigned version) {
  bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
  arm(env_.options.write_timeout);
  co_await bhttp::async_write(stream_.socket(), cont, use_tuple);
}

// GCC 12 mis-destroys temporaries that appear inside co_await expressions, so every
// coroutine here takes named lvalues and stores results before testing them.
asio::awaitable<HttpSession::Outcome> HttpSession::serve_one() {
  RequestParser parser;
  parser.header_limit(static_cast<std::uint32_t>(env_.options.header_limit));
  // The route's limit is applied once the head is known; until then Content-Length is
  // checked by us (413), not refused by the parser.
  parser.body_limit(boost::none);
  arm(env_.options.header_timeout);
  idle_ = true;
  beast::error_code ec = parse_buffered(parser, false);
  while (ec == bhttp::error::need_more) {
    auto space = read_space();
    auto [read_ec, n] = co_await stream_.socket().async_read_some(space, use_tuple);
    ec = take_read(parser, false, read_ec, n);
  }
  idle_ = false;
  if (ec) {
    co_await refuse_head(parser, ec);
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
  // A body that arrived with the head needs no read.
  beast::error_code body_ec = parse_buffered(parser, true);
  if (body_ec == bhttp::error::need_more) {
    auto expect = parser.get()[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) co_await send_continue(parser.get().version());
    arm(env_.options.body_timeout);
    while (body_ec == bhttp::error::need_more) {
      auto space = read_space();
      auto [read_ec, n] = co_await stream_.socket().async_read_some(space, use_tuple);
      body_ec = take_read(parser, true, read_ec, n);
    }
  }
  if (body_ec == bhttp::error::body_limit) {
    co_await reject(req, 413, "Request body too large");
    co_return Outcome::Close;
  }
  if (body_ec) co_return Outcome::Close;
  req.body = std::move(parser.get().body());
  bool keep_alive = parser.get().keep_alive();

  std::optional<http::Response> answer;
  if (plan.run_inline) {
    answer = env_.app.handle(req);
  } else {
    std::function<http::Response()> work = [&req, &app = env_.app] { return app.handle(req); };
    auto& pool = plan.long_running ? env_.long_work : env_.blocking_work;
    answer = co_await offload(pool, work);
  }
  if (!answer) {
    co_await reject(req, 503, "Server busy, try again");
    co_return Outcome::Close;
  }
  http::Response& res = *answer;

  if (res.websocket) {
    if (plan.websocket && beast::websocket::is_upgrade(parser.get())) {
      disarm();
      upgrade_ = parser.release();
      websocket_ = std::move(res.websocket);
      websocket_limit_ = plan.websocket_message_limit;
      co_return Outcome::Upgrade;
    }
    co_await reject(req, 400, "This endpoint needs a WebSocket upgrade");
    co_return Outcome::Close;
  }
  if (res.sse) {
    disarm();
    co_await serve_event_stream(stream_, res, req.version, env_, delegate_);
    delegate_ = nullptr;
    co_return Outcome::Close;
  }
  if (closing_) keep_alive = false;
  bool reusable = false;
  if (format_plain_head(res, req, keep_alive)) {
    arm(env_.options.write_timeout);
    auto parts = plain_answer(res, req);
    auto [write_ec, n] = co_await asio::async_write(stream_.socket(), parts, use_tuple);
    reusable = !write_ec && keep_alive;
  } else {
    reusable = co_await write_response(res, req, keep_alive);
  }
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
