// The server's own cost per chat turn. The server runs in-process with a language model that
// answers at once, so whatever a turn takes is what the server adds: routing, auth, emotion
// and intent analysis, history and memory recall, the prompt, streaming, storage and fact
// extraction. Simulated users drive REST, SSE and WebSocket chat in a closed loop (each
// sends, waits for the whole reply, sends again) over loopback, and the program prints a
// markdown report: time to first token and full turn (p50/p90/p99/max), turns/s, and a check
// that every turn was stored.
//
//   turn_bench
//
// Environment: TURN_BENCH_SECONDS (measured seconds per run, default 5),
// TURN_BENCH_WARMUP_SECONDS (unmeasured turns before each run, default 1),
// TURN_BENCH_USERS (default "1,16,64"), TURN_BENCH_TRANSPORTS (default "rest,sse,ws").
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <boost/system/system_error.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/companion.hpp"
#include "app/state.hpp"
#include "core/conversation/stage_statistics.hpp"
#include "core/llm/llm_provider.hpp"

namespace {

using namespace companion;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Set by SIGINT/SIGTERM: the runs end early and the data folder is still removed.
volatile std::sig_atomic_t interrupted = 0;

// Longest a single turn may take before the client gives up on it (and counts an error).
constexpr auto turn_timeout = std::chrono::seconds(30);
// The documented default of the "chat" rate group is 60 turns a minute per user; a closed
// loop exceeds that within a second, so the benchmark raises it out of the way.
constexpr double chat_turns_per_minute = 1e9;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// ---- settings -----------------------------------------------------------------------------

enum class Transport { Rest, Sse, WebSocket };

std::string_view transport_name(Transport t) {
  switch (t) {
    case Transport::Rest:
      return "rest";
    case Transport::Sse:
      return "sse";
    case Transport::WebSocket:
      return "ws";
  }
  return "?";
}

struct Settings {
  double seconds = 5;
  double warmup_seconds = 1;
  std::vector<int> users = {1, 16, 64};
  std::vector<Transport> transports = {Transport::Rest, Transport::Sse, Transport::WebSocket};
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

double env_seconds(const char* name, double fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  double seconds = std::stod(v);
  if (seconds < 0) throw std::runtime_error(std::string(name) + " must not be negative");
  return seconds;
}

Settings settings_from_environment() {
  Settings s;
  s.seconds = env_seconds("TURN_BENCH_SECONDS", s.seconds);
  s.warmup_seconds = env_seconds("TURN_BENCH_WARMUP_SECONDS", s.warmup_seconds);
  if (const char* v = std::getenv("TURN_BENCH_USERS"); v && *v) {
    s.users.clear();
    for (const auto& item : split_list(v)) {
      int n = std::stoi(item);
      if (n < 1) throw std::runtime_error("TURN_BENCH_USERS: each count must be at least 1");
      s.users.push_back(n);
    }
  }
  if (const char* v = std::getenv("TURN_BENCH_TRANSPORTS"); v && *v) {
    s.transports.clear();
    for (const auto& item : split_list(v)) {
      if (item == "rest")
        s.transports.push_back(Transport::Rest);
      else if (item == "sse")
        s.transports.push_back(Transport::Sse);
      else if (item == "ws")
        s.transports.push_back(Transport::WebSocket);
      else
        throw std::runtime_error("TURN_BENCH_TRANSPORTS: unknown transport " + item);
    }
  }
  return s;
}

// ---- the model that answers at once -------------------------------------------------------

// Streams a fixed eight-word reply as eight deltas plus a usage report, with no waiting, so
// that every millisecond of a turn is the server's own.
class InstantProvider final : public core::LlmProvider {
 public:
  static constexpr std::string_view provider_name = "instant";
  static constexpr std::string_view model_name = "reply";

  std::string_view name() const override { return provider_name; }

  std::vector<core::ModelInfo> models() const override {
    return {core::ModelInfo{std::string(provider_name) + "/" + std::string(model_name),
                            std::string(provider_name), "companion",
                            "Answers every prompt at once with the same eight words (benchmark)."}};
  }

  core::GenerationResult generate(const core::GenerationRequest& request,
                                  const core::GenerationCallback& on_event) override {
    static const std::vector<std::string> words = {"That ", "sounds ", "really ", "interesting, ",
                                                   "tell ", "me ",     "more ",   "please."};
    core::GenerationResult result;
    result.model = std::string(model_name);
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (request.cancellation.cancelled())
        throw core::LlmError(core::LlmError::Kind::cancelled, "the generation was cancelled",
                             i == 0);
      core::GenerationEvent delta;
      delta.kind = core::GenerationEvent::Kind::TextDelta;
      delta.text = words[i];
      result.text += words[i];
      if (on_event && !on_event(delta)) {
        result.finish = core::FinishReason::Cancelled;
        return result;
      }
    }
    result.usage.prompt_tokens = static_cast<std::int64_t>(request.messages.size()) * 16;
    result.usage.completion_tokens = static_cast<std::int64_t>(words.size());
    core::GenerationEvent usage;
    usage.kind = core::GenerationEvent::Kind::Usage;
    usage.usage = result.usage;
    if (on_event) on_event(usage);
    return result;
  }
};

// ---- the server ---------------------------------------------------------------------------

// A data folder of its own, removed when the benchmark ends.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("companion-turn-bench-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string random_hex(std::size_t bytes) {
  std::random_device rd;
  std::string out;
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes; ++i) {
    auto b = static_cast<unsigned>(rd()) & 0xff;
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

// Production defaults except where a benchmark must differ: loopback on an ephemeral port,
// quiet logs, a root key (else the first start prints an admin key into the report), cheap
// password hashing (no user here has a password), and the chat rate limit raised.
app::Config bench_config(const std::filesystem::path& data_dir) {
  app::Config c;
  c.server.host = "127.0.0.1";
  c.server.port = 0;
  c.data_dir = data_dir.string();
  c.log_level = "warning";
  c.access_log = false;
  c.password_ops_limit = 1;
  c.password_mem_limit = 8192;
  c.jwt_secret = random_hex(32);
  c.root_api_key = "turn-bench-root-" + random_hex(16);
  c.rate_limits["chat"] = {chat_turns_per_minute, chat_turns_per_minute};
  c.llm.default_model =
      std::string(InstantProvider::provider_name) + "/" + std::string(InstantProvider::model_name);
  return c;
}

// How long the disk under the data folder takes to make a small write durable: the median of
// 20 overwrites of 4 KiB, each followed by fdatasync (no file growth, so no metadata to
// sync). The store syncs on every commit and every stored turn commits at least once, so
// this is a floor under a turn's storage. Negative when the probe could not run.
double median_sync_ms(const std::filesystem::path& dir) {
  constexpr int rounds = 20;
  constexpr std::size_t block_size = 4096;
  auto path = dir / "sync-probe";
  int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) return -1;
  std::string block(block_size, 'x');
  std::vector<double> times;
  bool prepared = true;
  for (int i = 0; i < rounds && prepared; ++i)
    prepared = ::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i * block_size)) ==
               static_cast<ssize_t>(block.size());
  if (prepared && ::fsync(fd) == 0) {
    for (int i = 0; i < rounds; ++i) {
      auto start = Clock::now();
      if (::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i * block_size)) < 0) break;
      if (::fdatasync(fd) != 0) break;
      times.push_back(ms_since(start));
    }
  }
  ::close(fd);
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  if (times.empty()) return -1;
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

struct BenchUser {
  std::int64_t id = 0;
  std::string api_key;
  std::string ws_session;
};

// One user per simulated client, so that no per-user state (rate buckets, sessions) is
// shared between clients.
std::vector<BenchUser> create_users(app::Companion& server, int count) {
  auto& accounts = *server.state().accounts;
  std::vector<BenchUser> users;
  for (int i = 0; i < count; ++i) {
    core::NewUser user;
    user.username = "bench-user-" + std::to_string(i);
    auto added = accounts.add_user(user, "");
    if (!added.ok()) throw std::runtime_error("cannot create " + user.username);
    auto key = accounts.create_api_key(user.username, "turn benchmark", {});
    if (!key.ok()) throw std::runtime_error("cannot create an API key for " + user.username);
    users.push_back({added->id, key->secret, "turn-bench-" + std::to_string(i)});
  }
  return users;
}

// Stored messages of the users, counted in the conversation store itself.
std::int64_t stored_messages(app::Companion& server, const std::vector<BenchUser>& users,
                             int count) {
  auto& store = server.state().turns->conversations().store();
  std::int64_t total = 0;
  for (int i = 0; i < count; ++i) total += store.user_message_count(users[i].id);
  return total;
}

// ---- what the users say -------------------------------------------------------------------

// Varied on purpose: statements with facts to remember, feelings, questions, small talk, so
// that emotion analysis, memory recall and fact extraction do their usual work.
const std::vector<std::string> message_texts = {
    "Hi! How are you doing today?",
    "I had a really stressful day at work and I feel exhausted.",
    "My favourite food is ramen, especially with extra garlic.",
    "Can you recommend a good book about space exploration?",
    "I finally bought a kayak and took it out on the lake this weekend.",
    "What do you remember about my hobbies?",
    "I'm so excited, my sister is getting married in June!",
    "Tell me a short joke to cheer me up.",
    "I live in Lisbon and I work as a nurse at the children's hospital.",
    "Why do I always feel anxious on Sunday evenings?",
    "My dog Biscuit learned to fetch the newspaper, I'm so proud of him.",
    "Thanks for listening, it really helps to talk about it.",
};

std::string percent_encoded(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += digits[ch >> 4];
      out += digits[ch & 0xf];
    }
  }
  return out;
}

// Each message in the shape each transport sends, built once so that the client's own work
// per turn stays small.
struct Message {
  std::string rest_body;   // POST /api/chat/send
  std::string sse_target;  // GET /api/chat/stream?message=…
  std::string ws_frame;    // {"type":"text","content":…}
};

std::vector<Message> build_messages() {
  std::vector<Message> out;
  for (const auto& text : message_texts) {
    Message m;
    m.rest_body = json::serialize(json::object{{"message", text}});
    m.sse_target = "/api/chat/stream?message=" + percent_encoded(text);
    m.ws_frame = json::serialize(json::object{{"type", "text"}, {"content", text}});
    out.push_back(std::move(m));
  }
  return out;
}

// ---- the load client ----------------------------------------------------------------------

struct TurnTimes {
  double first_ms = 0;  // request written → first token read
  double full_ms = 0;   // request written → reply complete
};

// A turn the server answered with something other than a complete reply; the connection
// itself is still good.
class BadTurn : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What an error body or frame says, without the parts that differ each time (timestamps):
// its "detail" or "content" when it is JSON that has one.
std::string error_detail(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  if (!ec && parsed.is_object()) {
    for (const char* field : {"detail", "content"}) {
      const auto* value = parsed.as_object().if_contains(field);
      if (value && value->is_string()) return std::string(value->as_string());
    }
  }
  return std::string(text.substr(0, 120));
}

// One simulated user's connection to one transport.
class TurnClient {
 public:
  TurnClient(tcp::endpoint server, const BenchUser& user) : server_(server), user_(user) {}
  virtual ~TurnClient() = default;
  // Connects (and, for a WebSocket, shakes hands); a broken connection is replaced by this.
  virtual asio::awaitable<void> open() = 0;
  // Sends the message and reads the reply to its end. Throws on any failure.
  virtual asio::awaitable<TurnTimes> turn(const Message& message) = 0;

 protected:
  tcp::endpoint server_;
  const BenchUser& user_;
};

asio::awaitable<void> connect(beast::tcp_stream& stream, tcp::endpoint server) {
  stream.expires_after(turn_timeout);
  co_await stream.async_connect(server, asio::use_awaitable);
  stream.socket().set_option(tcp::no_delay(true));
}

// AI Friend's POST /api/chat/send on a keep-alive connection. The reply arrives whole, so its
// first token is the whole response.
class RestClient final : public TurnClient {
 public:
  using TurnClient::TurnClient;

  asio::awaitable<void> open() override {
    stream_ = std::make_unique<beast::tcp_stream>(co_await asio::this_coro::executor);
    buffer_.clear();
    co_await connect(*stream_, server_);
  }

  asio::awaitable<TurnTimes> turn(const Message& message) override {
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/chat/send", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set("X-API-Key", user_.api_key);
    req.set(bhttp::field::content_type, "application/json");
    req.body() = message.rest_body;
    req.prepare_payload();
    auto start = Clock::now();
    stream_->expires_after(turn_timeout);
    co_await bhttp::async_write(*stream_, req, asio::use_awaitable);
    bhttp::response<bhttp::string_body> res;
    co_await bhttp::async_read(*stream_, buffer_, res, asio::use_awaitable);
    double ms = ms_since(start);
    if (res.result() != bhttp::status::ok)
      throw BadTurn("HTTP " + std::to_string(res.result_int()) + ": " + error_detail(res.body()));
    if (!res.keep_alive()) co_await open();
    co_return TurnTimes{ms, ms};
  }

 private:
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// Splits an event stream into events and reports each event's name and data.
class SseScanner {
 public:
  template <class OnEvent>
  void feed(std::string_view data, OnEvent&& on_event) {
    pending_.append(data);
    std::size_t start = 0;
    for (std::size_t end; (end = pending_.find("\n\n", start)) != std::string::npos;
         start = end + 2) {
      std::string_view block(pending_.data() + start, end - start);
      on_event(field(block, "event: "), field(block, "data: "));
    }
    pending_.erase(0, start);
  }

 private:
  // The first line of that field; empty when the block has none (a heartbeat comment).
  static std::string_view field(std::string_view block, std::string_view name) {
    std::size_t at = 0;
    while (at < block.size() && block.substr(at, name.size()) != name) {
      at = block.find('\n', at);
      if (at == std::string_view::npos) return {};
      ++at;
    }
    if (at >= block.size()) return {};
    auto value = block.substr(at + name.size());
    return value.substr(0, value.find('\n'));
  }

  std::string pending_;
};

// AI Friend's GET /api/chat/stream. The server ends every event stream by closing the
// connection, so each turn connects anew and its times include the TCP connect.
class SseClient final : public TurnClient {
 public:
  using TurnClient::TurnClient;

  asio::awaitable<void> open() override { co_return; }

  asio::awaitable<TurnTimes> turn(const Message& message) override {
    auto start = Clock::now();
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    co_await connect(stream, server_);
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, message.sse_target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::accept, "text/event-stream");
    req.set("X-API-Key", user_.api_key);
    co_await bhttp::async_write(stream, req, asio::use_awaitable);

    std::optional<double> first, full;
    std::optional<std::string> failure;  // the data of an error event
    SseScanner scanner;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    // Events are looked at as the parser meets them, so their times are when they arrived.
    auto on_chunk = [&](std::uint64_t, beast::string_view data, beast::error_code&) {
      scanner.feed({data.data(), data.size()}, [&](std::string_view event, std::string_view text) {
        if (event == "message" && !first)
          first = ms_since(start);
        else if (event == "done")
          full = ms_since(start);
        else if (event == "error")
          failure = std::string(text);
      });
      return data.size();
    };
    parser.on_chunk_body(on_chunk);
    beast::flat_buffer buffer;
    co_await bhttp::async_read_header(stream, buffer, parser, asio::use_awaitable);
    while (!parser.is_done())
      co_await bhttp::async_read_some(stream, buffer, parser, asio::use_awaitable);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (parser.get().result() != bhttp::status::ok)
      throw BadTurn("HTTP " + std::to_string(parser.get().result_int()) + ": " +
                    error_detail(parser.get().body()));
    if (failure) throw BadTurn("error event: " + error_detail(*failure));
    if (!first || !full) throw BadTurn("the stream ended without a message and a done event");
    co_return TurnTimes{*first, *full};
  }
};

// YouWorker's WebSocket /chat/{session_id} on one connection per user.
class WebSocketClient final : public TurnClient {
 public:
  using TurnClient::TurnClient;

  asio::awaitable<void> open() override {
    ws_ =
        std::make_unique<websocket::stream<beast::tcp_stream>>(co_await asio::this_coro::executor);
    buffer_.clear();
    // The TCP stream's deadline, set again for every turn, bounds the WebSocket's reads and
    // writes too (the WebSocket's own idle timeout without pings would count from the
    // handshake, not from the last frame).
    co_await connect(beast::get_lowest_layer(*ws_), server_);
    ws_->set_option(websocket::stream_base::decorator(
        [key = user_.api_key](websocket::request_type& req) { req.set("X-API-Key", key); }));
    co_await ws_->async_handshake("127.0.0.1", "/chat/" + user_.ws_session, asio::use_awaitable);
    ws_->text(true);
    co_await ws_->async_read(buffer_, asio::use_awaitable);  // the "Connected" system frame
    std::string_view welcome = frame_text();
    if (welcome.find(R"("type":"system")") == std::string_view::npos)
      throw std::runtime_error("unexpected first frame: " + error_detail(welcome));
    buffer_.clear();
  }

  // Frames are recognised by their serialised fields rather than parsed: the server writes
  // "type" first, and the reply's own words (this program's) contain neither marker.
  asio::awaitable<TurnTimes> turn(const Message& message) override {
    auto start = Clock::now();
    beast::get_lowest_layer(*ws_).expires_after(turn_timeout);
    co_await ws_->async_write(asio::buffer(message.ws_frame), asio::use_awaitable);
    std::optional<double> first;
    for (;;) {
      co_await ws_->async_read(buffer_, asio::use_awaitable);
      std::string_view frame = frame_text();
      if (frame.find(R"("is_final":true)") != std::string_view::npos) {
        double full = ms_since(start);
        buffer_.clear();
        if (!first) throw BadTurn("the final frame came without streamed text");
        co_return TurnTimes{*first, full};
      }
      if (frame.starts_with(R"({"type":"text")")) {
        if (!first) first = ms_since(start);
      } else if (frame.starts_with(R"({"type":"error")")) {
        std::string detail = error_detail(frame);
        buffer_.clear();
        throw BadTurn("error frame: " + detail);
      }
      buffer_.clear();
    }
  }

 private:
  std::string_view frame_text() const {
    auto data = buffer_.cdata();
    return {static_cast<const char*>(data.data()), data.size()};
  }

  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws_;
  beast::flat_buffer buffer_;
};

std::unique_ptr<TurnClient> make_client(Transport t, tcp::endpoint server, const BenchUser& user) {
  switch (t) {
    case Transport::Rest:
      return std::make_unique<RestClient>(server, user);
    case Transport::Sse:
      return std::make_unique<SseClient>(server, user);
    case Transport::WebSocket:
      return std::make_unique<WebSocketClient>(server, user);
  }
  throw std::logic_error("unknown transport");
}

using ErrorCounts = std::map<std::string, std::int64_t>;  // message → how often

// What one user saw during one phase.
struct Tally {
  std::vector<TurnTimes> turns;
  ErrorCounts errors;
};

// A transport error's own words, without the library's source location.
std::string error_message(const std::exception& error) {
  if (const auto* system = dynamic_cast<const boost::system::system_error*>(&error))
    return system->code().message();
  return error.what();
}

// Closed loop: send, wait for the whole reply, send the next message, until `until`. A turn
// the server refused is counted and the loop goes on; a broken connection is counted and
// replaced.
asio::awaitable<void> run_user(TurnClient& client, const std::vector<Message>& messages,
                               std::size_t next, Clock::time_point until, Tally& tally) {
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (Clock::now() < until && !interrupted) {
    const Message& message = messages[next++ % messages.size()];
    bool broken = false;
    try {
      tally.turns.push_back(co_await client.turn(message));
    } catch (const BadTurn& refused) {
      ++tally.errors[refused.what()];
    } catch (const std::exception& error) {
      ++tally.errors[error_message(error)];
      broken = true;
    }
    if (!broken) continue;
    // A short pause keeps a server that drops every connection from being hammered in a spin.
    pause.expires_after(std::chrono::milliseconds(10));
    co_await pause.async_wait(asio::use_awaitable);
    try {
      co_await client.open();
    } catch (const std::exception& error) {
      ++tally.errors["reconnecting: " + error_message(error)];
    }
  }
}

// Runs `work` for every client on the client's one thread and waits for all of them; the
// first exception that escapes is rethrown.
template <class Work>
void run_all(asio::io_context& ctx, std::size_t count, Work work) {
  std::exception_ptr failure;
  for (std::size_t i = 0; i < count; ++i) {
    asio::co_spawn(ctx, work(i), [&failure](std::exception_ptr e) {
      if (e && !failure) failure = e;
    });
  }
  ctx.restart();
  ctx.run();
  if (failure) std::rethrow_exception(failure);
}

// ---- one run ------------------------------------------------------------------------------

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

using StageTotals = std::map<std::string, std::pair<std::int64_t, double>>;  // runs, total ms

StageTotals stage_totals(app::Companion& server) {
  StageTotals out;
  if (!server.state().stages) return out;
  for (const auto& report : server.state().stages->snapshot())
    out[report.stage] = {report.runs, report.total_ms};
  return out;
}

struct RunResult {
  Transport transport{};
  int users = 0;
  std::vector<double> first_ms;  // sorted
  std::vector<double> full_ms;   // sorted
  double elapsed_s = 0;
  std::int64_t errors = 0;
  ErrorCounts error_counts;
  std::int64_t stored_growth = 0;  // messages stored during the measured phase
  double server_cpu_s = 0;         // process CPU minus the client thread's
  double client_cpu_s = 0;
  std::map<std::string, double> stage_mean_ms;
  std::size_t turns() const { return full_ms.size(); }
  double turns_per_second() const { return elapsed_s > 0 ? turns() / elapsed_s : 0; }
};

// Fills `result` from the phase's tallies.
void collect(const std::vector<Tally>& tallies, RunResult& result) {
  for (const auto& tally : tallies) {
    for (const auto& t : tally.turns) {
      result.first_ms.push_back(t.first_ms);
      result.full_ms.push_back(t.full_ms);
    }
    for (const auto& [message, count] : tally.errors) {
      result.errors += count;
      result.error_counts[message] += count;
    }
  }
  std::sort(result.first_ms.begin(), result.first_ms.end());
  std::sort(result.full_ms.begin(), result.full_ms.end());
}

std::map<std::string, double> stage_means(const StageTotals& before, const StageTotals& after) {
  std::map<std::string, double> out;
  for (const auto& [stage, totals] : after) {
    auto [runs, ms] = totals;
    if (auto it = before.find(stage); it != before.end()) {
      runs -= it->second.first;
      ms -= it->second.second;
    }
    if (runs > 0) out[stage] = ms / static_cast<double>(runs);
  }
  return out;
}

// Turns over the whole phase, every user's last one included, so turns/s divides all the
// turns by the time they took together.
double run_phase(asio::io_context& ctx, std::vector<std::unique_ptr<TurnClient>>& clients,
                 const std::vector<Message>& messages, double seconds,
                 std::vector<Tally>& tallies) {
  tallies.assign(clients.size(), {});
  auto start = Clock::now();
  auto until =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  run_all(ctx, clients.size(), [&](std::size_t i) {
    // Users start at different messages, so concurrent turns do not all say the same.
    return run_user(*clients[i], messages, i * 5, until, tallies[i]);
  });
  return ms_since(start) / 1000.0;
}

RunResult run_once(app::Companion& server, tcp::endpoint endpoint,
                   const std::vector<BenchUser>& users, const std::vector<Message>& messages,
                   Transport transport, int user_count, const Settings& settings) {
  asio::io_context ctx(1);
  std::vector<std::unique_ptr<TurnClient>> clients;
  for (int i = 0; i < user_count; ++i)
    clients.push_back(make_client(transport, endpoint, users[i]));
  run_all(ctx, clients.size(), [&](std::size_t i) { return clients[i]->open(); });

  std::vector<Tally> tallies;
  if (settings.warmup_seconds > 0)
    run_phase(ctx, clients, messages, settings.warmup_seconds, tallies);

  RunResult result;
  result.transport = transport;
  result.users = user_count;
  auto stored_before = stored_messages(server, users, user_count);
  auto stages_before = stage_totals(server);
  double process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  double client_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  result.elapsed_s = run_phase(ctx, clients, messages, settings.seconds, tallies);
  result.client_cpu_s = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - client_cpu;
  result.server_cpu_s = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_cpu - result.client_cpu_s;
  result.stage_mean_ms = stage_means(stages_before, stage_totals(server));
  result.stored_growth = stored_messages(server, users, user_count) - stored_before;
  collect(tallies, result);
  return result;
}

// ---- the report ---------------------------------------------------------------------------

// Nearest rank: the smallest sample with at least p of all samples at or below it.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string latency_cells(const std::vector<double>& sorted) {
  if (sorted.empty()) return "– | – | – | –";
  return fixed(percentile(sorted, 0.50), 3) + " | " + fixed(percentile(sorted, 0.90), 3) + " | " +
         fixed(percentile(sorted, 0.99), 3) + " | " + fixed(sorted.back(), 3);
}

std::string persisted_cell(const RunResult& r) {
  std::string cell = std::to_string(r.stored_growth / 2) + "/" + std::to_string(r.turns());
  if (r.stored_growth != 2 * static_cast<std::int64_t>(r.turns()))
    cell += " (" + std::to_string(r.stored_growth) + " messages)";
  return cell;
}

std::string label(const RunResult& r) {
  return std::string(transport_name(r.transport)) + "/" + std::to_string(r.users);
}

void print_settings(const Settings& s, const app::Config& config, unsigned cores,
                    const double load[3], double sync_ms) {
  std::cout << "## chat turn overhead (turn_bench)\n\n"
            << "- Machine: " << cores << " cores, shared by the server and the load client; "
            << "load average " << fixed(load[0], 2) << " / " << fixed(load[1], 2) << " / "
            << fixed(load[2], 2) << " (1/5/15 min) when the benchmark started; a synced 4 KiB "
            << "overwrite + fdatasync in the data folder takes "
            << (sync_ms < 0 ? "?" : fixed(sync_ms, 3))
            << " ms (median of 20); the store syncs every commit, and every stored turn commits "
            << "at least once.\n"
            << "- Model: a provider that answers at once (8 text deltas and a usage report, no "
               "waiting), so every millisecond below is the server's.\n"
            << "- Server in-process on loopback with production defaults: network threads one "
               "per core, SQLite store, emotion and intent analysis, memory recall and fact "
               "extraction on; turn threads "
            << config.conversation.turn_threads << ". The \"chat\" rate limit is raised from "
            << "its default of 60 turns/min per user to "
            << fixed(config.rate_limits.at("chat").per_minute, 0) << "/min.\n"
            << "- Client: one thread with asio coroutines; closed loop per user (send, read the "
               "whole reply, send again), one user account each; "
            << message_texts.size() << " different messages in turn. " << fixed(s.seconds, 1)
            << " s measured per run after " << fixed(s.warmup_seconds, 1) << " s of warm-up.\n"
            << "- REST: `POST /api/chat/send` on a keep-alive connection; its first token is the "
               "whole response. SSE: `GET /api/chat/stream`, first `message` event and `done`; "
               "the server closes the connection after each stream, so every SSE turn includes "
               "a TCP connect. WS: `/chat/{session_id}` (YouWorker), first streamed `text` "
               "frame and the `is_final` frame.\n"
            << "- Times in ms from writing the request. persisted: turns whose two messages "
               "were found in the store / turns completed. Server CPU: the process's CPU time "
               "less the client thread's, per turn.\n\n";
}

void print_table(const std::vector<RunResult>& results) {
  std::cout << "| transport | users | turns | turns/s | first token p50 | p90 | p99 | max | "
               "full turn p50 | p90 | p99 | max | server CPU ms/turn | client CPU % | "
               "errors | persisted |\n"
            << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const auto& r : results) {
    double per_turn = r.turns() ? r.server_cpu_s * 1000 / static_cast<double>(r.turns()) : 0;
    double client_share = r.elapsed_s > 0 ? 100 * r.client_cpu_s / r.elapsed_s : 0;
    std::cout << "| " << transport_name(r.transport) << " | " << r.users << " | " << r.turns()
              << " | " << fixed(r.turns_per_second(), 0) << " | " << latency_cells(r.first_ms)
              << " | " << latency_cells(r.full_ms) << " | " << fixed(per_turn, 3) << " | "
              << fixed(client_share, 0) << " | " << r.errors << " | " << persisted_cell(r)
              << " |\n";
  }
  std::cout << "\n";
}

// The issue's targets next to what was measured.
void print_targets(const std::vector<RunResult>& results) {
  std::cout << "Targets: first token p50 < 1 ms and p99 < 5 ms at 16 users; at least 2,000 "
               "complete turns/s, persisted.\n\n";
  for (const auto& r : results) {
    if (r.users != 16 || r.first_ms.empty()) continue;
    double p50 = percentile(r.first_ms, 0.5), p99 = percentile(r.first_ms, 0.99);
    std::cout << "- " << transport_name(r.transport) << " at 16 users: first token p50 "
              << fixed(p50, 3) << " ms (" << (p50 < 1 ? "met" : "missed") << "), p99 "
              << fixed(p99, 3) << " ms (" << (p99 < 5 ? "met" : "missed") << ").\n";
  }
  const RunResult* best = nullptr;
  for (const auto& r : results)
    if (!best || r.turns_per_second() > best->turns_per_second()) best = &r;
  if (best) {
    bool all_stored = best->stored_growth == 2 * static_cast<std::int64_t>(best->turns());
    std::cout << "- Most turns/s: " << fixed(best->turns_per_second(), 0) << " (" << label(*best)
              << "), " << (all_stored ? "all persisted" : "NOT all persisted") << " ("
              << (best->turns_per_second() >= 2000 && all_stored ? "met" : "missed") << ").\n";
  }
  std::cout << "\n";
}

// Mean time of each pipeline stage as the server measured it, per run: where a turn's time
// goes. Stages run partly side by side, so they do not add up to the turn.
void print_stages(const std::vector<RunResult>& results) {
  std::map<std::string, bool> stages;
  for (const auto& r : results)
    for (const auto& [stage, ms] : r.stage_mean_ms) stages[stage] = true;
  if (stages.empty()) return;
  std::cout << "Turn pipeline stages, mean ms per run (server-measured; \"coordinator\" is "
               "request in → prompt ready):\n\n| stage |";
  for (const auto& r : results) std::cout << " " << label(r) << " |";
  std::cout << "\n|---|";
  for (std::size_t i = 0; i < results.size(); ++i) std::cout << "---:|";
  std::cout << "\n";
  for (const auto& [stage, present] : stages) {
    std::cout << "| " << stage << " |";
    for (const auto& r : results) {
      auto it = r.stage_mean_ms.find(stage);
      std::cout << " " << (it == r.stage_mean_ms.end() ? "–" : fixed(it->second, 3)) << " |";
    }
    std::cout << "\n";
  }
  std::cout << "\n";
}

void print_errors(const std::vector<RunResult>& results) {
  bool any = false;
  for (const auto& r : results) {
    for (const auto& [message, count] : r.error_counts) {
      if (!any) std::cout << "Errors, by what the client was told:\n\n";
      any = true;
      std::cout << "- " << label(r) << ": " << count << " × " << message << "\n";
    }
  }
  if (any) std::cout << "\n";
}

void on_signal(int) {
  interrupted = 1;
}

int run() {
  Settings settings = settings_from_environment();
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) != 3) load[0] = load[1] = load[2] = 0;

  TempDir data;
  double sync_ms = median_sync_ms(data.path());
  app::Config config = bench_config(data.path());
  app::Plugins plugins;
  plugins.llm_providers.push_back(std::make_shared<InstantProvider>());
  app::Companion server(config, std::move(plugins));
  auto port = server.start();
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);

  int most_users = *std::max_element(settings.users.begin(), settings.users.end());
  auto users = create_users(server, most_users);
  auto messages = build_messages();

  std::vector<RunResult> results;
  for (auto transport : settings.transports) {
    for (int count : settings.users) {
      if (interrupted) break;
      auto r = run_once(server, endpoint, users, messages, transport, count, settings);
      std::cerr << "turn_bench: " << label(r) << ": " << r.turns() << " turns, "
                << fixed(r.turns_per_second(), 0) << " turns/s, first token p50 "
                << fixed(percentile(r.first_ms, 0.5), 3) << " ms, errors " << r.errors << "\n";
      results.push_back(std::move(r));
    }
  }
  server.stop();

  print_settings(settings, config, cores, load, sync_ms);
  print_table(results);
  print_targets(results);
  print_stages(results);
  print_errors(results);
  return interrupted ? 130 : 0;
}

}  // namespace

int main() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    return run();
  } catch (const std::exception& error) {
    std::cerr << "turn_bench: " << error.what() << "\n";
    return 1;
  }
}
