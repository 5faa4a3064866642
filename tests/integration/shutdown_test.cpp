// Graceful shutdown of the real binary, as an operator's SIGTERM (or a Ctrl-C) meets it:
// a request in flight still gets its whole answer, WebSocket clients are told the server is
// going away (1001), new connections are refused, and the process exits 0 in time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* root_key = "root-test-key-0123456789";
// The server's default shutdown deadline is 10 s; allow for process teardown on top.
constexpr auto exit_deadline = 15s;

// A port nobody listens on right now: bind to port 0 and let the kernel choose.
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A blocking loopback TCP connection speaking raw bytes, so a test can stop half-way
// through a request.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      error_ = errno;
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  int connect_error() const { return error_; }

  bool send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads until the peer closes or the timeout passes; returns everything received.
  std::string read_until_closed(std::chrono::milliseconds timeout) {
    std::string out;
    auto until = std::chrono::steady_clock::now() + timeout;
    char buf[16 * 1024];
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  int error_ = 0;
};

struct ParsedResponse {
  int status = 0;
  std::string body;
  bool complete = false;  // the body is as long as Content-Length says
};

ParsedResponse parse_response(const std::string& raw) {
  ParsedResponse r;
  auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  std::string head = raw.substr(0, head_end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto cl = head.find("\r\ncontent-length:");
  r.body = raw.substr(head_end + 4);
  if (cl != std::string::npos) {
    auto length = std::stoul(head.substr(cl + 17));
    r.complete = r.body.size() == length;
  }
  return r;
}

// The companion binary in a child process with its own port and data folder.
class ServerProcess {
 public:
  ServerProcess() : port_(free_port()) {
    std::string log = (dir_.path() / "server.log").string();
    std::string data = (dir_.path() / "data").string();
    std::string port = std::to_string(port_);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setenv("ROOT_API_KEY", root_key, 1);
      ::setenv("COMPANION_ACCESS_LOG", "0", 1);
      FILE* out = std::freopen(log.c_str(), "w", stderr);
      (void)out;
      ::execl(COMPANION_BINARY, COMPANION_BINARY, "serve", "--host", "127.0.0.1", "--port",
              port.c_str(), "--data-dir", data.c_str(), static_cast<char*>(nullptr));
      std::_Exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  std::uint16_t port() const { return port_; }

  // Polls /health until it answers 200; false when it never does.
  bool wait_ready(std::chrono::milliseconds timeout = 15s) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (has_exited()) return false;
      RawConnection c(port_);
      if (c.connected() &&
          c.send_all("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") &&
          parse_response(c.read_until_closed(2s)).status == 200)
        return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  void signal(int sig) { ::kill(pid_, sig); }

  bool has_exited() {
    if (exit_status_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) exit_status_ = status;
    return exit_status_.has_value();
  }

  // The raw wait status once the process has exited, or nullopt at the timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!has_exited() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(10ms);
    return exit_status_;
  }

 private:
  TempDir dir_;
  std::uint16_t port_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

void expect_clean_exit(ServerProcess& server) {
  auto status = server.wait_exit(exit_deadline);
  ASSERT_TRUE(status.has_value()) << "server did not exit within the deadline";
  ASSERT_TRUE(WIFEXITED(*status)) << "server died from a signal";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

// True once a connect() is refused (the listeners are closed), polling for a short while.
bool connections_refused_soon(std::uint16_t port) {
  auto until = std::chrono::steady_clock::now() + 3s;
  while (std::chrono::steady_clock::now() < until) {
    RawConnection probe(port);
    if (!probe.connected() && probe.connect_error() == ECONNREFUSED) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

const std::string echo_body = R"({"message":"still here","n":42})";

std::string echo_head() {
  return "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "X-API-Key: " +
         std::string(root_key) + "\r\nContent-Length: " + std::to_string(echo_body.size()) +
         "\r\n\r\n";
}

class Shutdown : public ::testing::TestWithParam<int> {};

std::string signal_name(const ::testing::TestParamInfo<int>& info) {
  return info.param == SIGTERM ? "SIGTERM" : "SIGINT";
}

}  // namespace

TEST_P(Shutdown, InFlightRequestCompletesThenProcessExitsZero) {
  ServerProcess server;
  ASSERT_TRUE(server.wait_ready());
  RawConnection client(server.port());
  ASSERT_TRUE(client.connected());
  const std::size_t half = echo_body.size() / 2;
  ASSERT_TRUE(client.send_all(echo_head() + echo_body.substr(0, half)));
  // Give the server the moment it needs to read the head, so the request is truly in
  // flight (reading its body) when the signal lands.
  std::this_thread::sleep_for(200ms);

  server.signal(GetParam());
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(server.has_exited()) << "exited with a request in flight";
  ASSERT_TRUE(client.send_all(echo_body.substr(half)));

  auto answer = parse_response(client.read_until_closed(10s));
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(answer.complete) << answer.body;
  EXPECT_NE(answer.body.find("\"still here\""), std::string::npos) << answer.body;
  expect_clean_exit(server);
}

TEST_P(Shutdown, NewConnectionsAreRefusedWhileDraining) {
  ServerProcess server;
  ASSERT_TRUE(server.wait_ready());
  // A request held open keeps the process alive while it drains.
  RawConnection held(server.port());
  ASSERT_TRUE(held.connected());
  ASSERT_TRUE(held.send_all(echo_head() + echo_body.substr(0, 5)));
  std::this_thread::sleep_for(200ms);

  server.signal(GetParam());
  EXPECT_TRUE(connections_refused_soon(server.port()));
  EXPECT_FALSE(server.has_exited()) << "the held request should keep the server draining";

  ASSERT_TRUE(held.send_all(echo_body.substr(5)));
  EXPECT_EQ(parse_response(held.read_until_closed(10s)).status, 200);
  expect_clean_exit(server);
  RawConnection after(server.port());
  EXPECT_FALSE(after.connected());
}

TEST_P(Shutdown, WebSocketClientIsClosedWithGoingAway) {
  ServerProcess server;
  ASSERT_TRUE(server.wait_ready());
  // The Voice Assistant's event WebSocket, authenticated with the query key.
  WsClient ws(server.port(), std::string("/ws?api_key=") + root_key);

  server.signal(GetParam());
  // Skip whatever the route sends on its own (a greeting, events) until the close frame.
  std::optional<std::string> message;
  int frames = 0;
  do {
    message = ws.read(5s);
  } while (message && ++frames < 100);
  EXPECT_FALSE(message.has_value()) << "the connection was not closed";
  EXPECT_EQ(ws.close_code(), 1001);
  expect_clean_exit(server);
}

TEST_P(Shutdown, IdleServerExitsZeroPromptly) {
  ServerProcess server;
  ASSERT_TRUE(server.wait_ready());
  HttpClient keep_alive(server.port());
  ASSERT_EQ(keep_alive.get("/health").status, 200);  // an idle keep-alive connection
  server.signal(GetParam());
  // Nothing is in flight, so the server need not wait for its deadline.
  auto status = server.wait_exit(3s);
  ASSERT_TRUE(status.has_value()) << "an idle server should exit at once";
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

INSTANTIATE_TEST_SUITE_P(Signals, Shutdown, ::testing::Values(SIGTERM, SIGINT), signal_name);
