#include "support/http_client.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace companion::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ws = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// Runs one async operation on `io` for at most `timeout`; cancels it when late.
template <class Start>
boost::system::error_code run_for(asio::io_context& io, tcp::socket& socket,
                                  std::chrono::milliseconds timeout, Start start) {
  boost::system::error_code result = asio::error::timed_out;
  bool done = false;
  io.restart();
  start([&](boost::system::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  io.run_for(timeout);
  if (!done) {
    boost::system::error_code ignored;
    socket.cancel(ignored);
    io.restart();
    io.run();
    return asio::error::timed_out;
  }
  return result;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

HttpResult to_result(bhttp::response<bhttp::string_body>& res) {
  HttpResult r;
  r.status = static_cast<int>(res.result_int());
  for (const auto& f : res) r.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  r.body = std::move(res.body());
  return r;
}

}  // namespace

boost::json::value HttpResult::json() const { return boost::json::parse(body); }

std::string HttpResult::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
  std::uint16_t port;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  bool connected = false;

  void connect() {
    boost::system::error_code ignored;
    socket.close(ignored);
    socket = tcp::socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    buffer.clear();
    connected = true;
  }
};

HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
}
HttpClient::~HttpClient() = default;

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::string& body, const HeaderList& headers) {
  auto& d = *impl_;
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req.set(k, v);
    if (beast::iequals(k, "content-type")) has_type = true;
  }
  if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!d.connected) d.connect();
    boost::system::error_code ec;
    bhttp::write(d.socket, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256u << 20);
    if (method == "HEAD") parser.skip(true);
    if (!ec)
      ec = run_for(d.io, d.socket, std::chrono::seconds(30), [&](auto handler) {
        bhttp::async_read(d.socket, d.buffer, parser, handler);
      });
    if (ec) {
      d.connected = false;
      if (attempt == 0 && (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                           ec == asio::error::connection_reset || ec == asio::error::broken_pipe))
        continue;  // the server closed an idle keep-alive connection
      throw std::runtime_error("http request failed: " + ec.message());
    }
    auto res = parser.release();
    if (!res.keep_alive()) d.connected = false;
    return to_result(res);
  }
  throw std::runtime_error("http request failed");
}

HttpResult HttpClient::post_json(const std::string& target, const boost::json::value& body,
                                 const HeaderList& headers) {
  return request("POST", target, boost::json::serialize(body), headers);
}

std::string HttpClient::raw(const std::string& bytes, std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  d.connect();
  asio::write(d.socket, asio::buffer(bytes));
  std::string out;
  std::array<char, 4096> chunk;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    std::size_t got = 0;
    auto ec = run_for(d.io, d.socket, left, [&](auto handler) {
      d.socket.async_read_some(asio::buffer(chunk),
                               [&, handler](boost::system::error_code e, std::size_t n) mutable {
                                 got = n;
                                 handler(e);
                               });
    });
    out.append(chunk.data(), got);
    if (ec) break;
  }
  d.connected = false;
  return out;
}

// ---- SSE ----

struct SseClient::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  int status = 0;
  std::string pending;  // decoded body bytes not yet parsed into events
  bhttp::response_parser<bhttp::buffer_body> parser;
  bool finished = false;
};

SseClient::SseClient(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const HeaderList& headers)
    : impl_(std::make_unique<Impl>()) {
  auto& d = *impl_;
  d.socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::accept, "text/event-stream");
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(d.socket, req);
  auto ec = run_for(d.io, d.socket, std::chrono::seconds(10), [&](auto handler) {
    bhttp::async_read_header(d.socket, d.buffer, d.parser, handler);
  });
  if (ec) throw std::runtime_error("event stream head: " + ec.message());
  d.status = static_cast<int>(d.parser.get().result_int());
}

SseClient::~SseClient() = default;
int SseClient::status() const { return impl_->status; }

std::optional<SseMessage> SseClient::next(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // An event ends at a blank line; comments (":...") are heartbeats and skipped.
    auto end = d.pending.find("\n\n");
    while (end != std::string::npos) {
      std::string block = d.pending.substr(0, end);
      d.pending.erase(0, end + 2);
      SseMessage m;
      bool any = false;
      std::size_t start = 0;
      while (start <= block.size()) {
        auto nl = block.find('\n', start);
        std::string line = block.substr(start, nl - start);
        if (line.rfind("data: ", 0) == 0) {
          if (any && !m.data.empty()) m.data += "\n";
          m.data += line.substr(6);
          any = true;
        } else if (line.rfind("event: ", 0) == 0) {
          m.event = line.substr(7);
          any = true;
        } else if (line.rfind("id: ", 0) == 0) {
          m.id = line.substr(4);
          any = true;
        }
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      if (any) return m;
      end = d.pending.find("\n\n");
    }
    if (d.finished) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    std::array<char, 4096> chunk;
    d.parser.get().body().data = chunk.data();
    d.parser.get().body().size = chunk.size();
    auto ec = run_for(d.io, d.socket, left, [&](auto handler) {
      bhttp::async_read_some(d.socket, d.buffer, d.parser, handler);
    });
    d.pending.append(chunk.data(), chunk.size() - d.parser.get().body().size);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec == asio::error::timed_out) return std::nullopt;
    if (ec || d.parser.is_done()) d.finished = true;
  }
}

void SseClient::close() {
  boost::system::error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

// ---- WebSocket ----

struct WsClient::Impl {
  asio::io_context io;
  ws::stream<tcp::socket> stream{io};
  beast::flat_buffer buffer;
  std::uint16_t close_code = 0;
};

WsClient::WsClient(std::uint16_t port, const std::string& target, const HeaderList& headers)
    : impl_(std::make_unique<Impl>()) {
  auto& d = *impl_;
  d.stream.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  d.stream.set_option(ws::stream_base::decorator([headers](ws::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  ws::response_type res;
  d.stream.handshake(res, "127.0.0.1", target);
}

WsClient::~WsClient() {
  boost::system::error_code ignored;
  impl_->stream.next_layer().close(ignored);
}

void WsClient::send_text(const std::string& text) {
  impl_->stream.text(true);
  impl_->stream.write(asio::buffer(text));
}

void WsClient::send_binary(const std::string& bytes) {
  impl_->stream.binary(true);
  impl_->stream.write(asio::buffer(bytes));
}

std::optional<std::string> WsClient::read(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  d.buffer.clear();
  auto ec = run_for(d.io, d.stream.next_layer(), timeout, [&](auto handler) {
    d.stream.async_read(d.buffer, handler);
  });
  if (ec) {
    if (ec == ws::error::closed) d.close_code = d.stream.reason().code;
    return std::nullopt;
  }
  return beast::buffers_to_string(d.buffer.data());
}

std::optional<boost::json::value> WsClient::read_json(std::chrono::milliseconds timeout) {
  auto text = read(timeout);
  if (!text) return std::nullopt;
  return boost::json::parse(*text);
}

void WsClient::close(std::uint16_t code) {
  boost::system::error_code ec;
  impl_->stream.close(ws::close_reason(code), ec);
}

std::uint16_t WsClient::close_code() const { return impl_->close_code; }

}  // namespace companion::testing
