// A write the server acknowledged survives the process being killed without warning:
// register, SIGKILL at once, restart on the same data folder, log in.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

// A port that was free a moment ago: bind to 0, read it, close.
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts_connections(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// The real binary, started with `serve` on the given port and data folder.
class ServerProcess {
 public:
  ServerProcess(const std::string& data_dir, std::uint16_t port) : port_(port) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setenv("ROOT_API_KEY", "root-durability-key-0123456789", 1);
      ::setenv("LOG_LEVEL", "warning", 1);
      ::setenv("COMPANION_ACCESS_LOG", "0", 1);
      std::string port_text = std::to_string(port);
      ::execl(COMPANION_BINARY, COMPANION_BINARY, "serve", "--port", port_text.c_str(),
              "--data-dir", data_dir.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~ServerProcess() { kill_hard(); }

  // Waits until the server accepts connections; false if it exited or never came up.
  bool wait_ready() {
    for (int i = 0; i < 300; ++i) {
      if (accepts_connections(port_)) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_;
};

}  // namespace

TEST(Durability, RegisteredUserSurvivesSigkill) {
  TempDir dir;
  const json::object credentials{{"username", "durable_user"}, {"password", "SecurePass123!"}};
  {
    std::uint16_t port = free_port();
    ServerProcess server(dir.path().string(), port);
    ASSERT_TRUE(server.wait_ready());
    HttpClient client(port);
    auto res = client.post_json("/api/auth/register", credentials);
    ASSERT_EQ(res.status, 201) << res.body;
    server.kill_hard();  // no shutdown, no flush: only what was committed is there
  }
  std::uint16_t port = free_port();
  ServerProcess server(dir.path().string(), port);
  ASSERT_TRUE(server.wait_ready());
  HttpClient client(port);
  auto login = client.post_json("/api/auth/login", credentials);
  EXPECT_EQ(login.status, 200) << login.body;
  std::string token(login.json().at("access_token").as_string());
  auto profile = client.get("/api/profile/durable_user", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(profile.status, 200) << profile.body;
}
