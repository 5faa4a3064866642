// The transport's read deadlines: a peer that stops sending is disconnected once its
// header or body timeout has passed, whatever state its request is in.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "support/test_server.hpp"

using namespace companion::testing;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

TestServer server_with_short_timeouts() {
  return TestServer([](companion::app::Config& c) {
    c.server.header_timeout = std::chrono::seconds(1);
    c.server.body_timeout = std::chrono::seconds(1);
  });
}

// Sends `bytes`, then reads until the server closes the connection; returns what it said.
// Blocks until the close: a server that never enforced its deadline fails by the test
// runner's own timeout.
std::string send_and_read_until_closed(std::uint16_t port, const std::string& bytes) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(socket, asio::buffer(bytes));
  std::string answer;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(answer), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  return answer;
}

}  // namespace

TEST(TransportDeadline, SilentPeerIsDisconnected) {
  auto server = server_with_short_timeouts();
  EXPECT_EQ(send_and_read_until_closed(server.port(), ""), "");
}

TEST(TransportDeadline, PartialHeadIsDisconnectedWithoutAnswer) {
  auto server = server_with_short_timeouts();
  EXPECT_EQ(send_and_read_until_closed(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n"), "");
}

TEST(TransportDeadline, StalledBodyIsDisconnectedWithoutAnswer) {
  auto server = server_with_short_timeouts();
  std::string head =
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"a\":";
  EXPECT_EQ(send_and_read_until_closed(server.port(), head), "");
}

TEST(TransportDeadline, IdleKeepAliveConnectionIsClosedAfterItsAnswer) {
  auto server = server_with_short_timeouts();
  auto answer =
      send_and_read_until_closed(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer.substr(0, 200);
  EXPECT_EQ(answer.find("Connection: close"), std::string::npos);
}
