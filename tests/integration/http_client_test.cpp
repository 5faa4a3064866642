// The outbound HTTP(S) client against scripted local servers: bodies split at awkward
// places, streaming, stalls, resets, limits, redirects, cancellation, the SSRF guard and TLS.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "net/http_client.hpp"
#include "support/fake_http_server.hpp"

using namespace std::chrono_literals;
using companion::net::AddressPolicy;
using companion::net::HttpClient;
using companion::net::HttpClientError;
using companion::net::HttpClientOptions;
using companion::net::HttpClientRequest;
using companion::testing::FakeConnection;
using companion::testing::FakeHttpServer;
using Kind = HttpClientError::Kind;

namespace {

// Local fake servers live on loopback, which only a permissive policy may reach.
HttpClientOptions loopback_options() {
  HttpClientOptions options;
  options.policy = AddressPolicy::permissive();
  return options;
}

HttpClientRequest get(const std::string& url) {
  HttpClientRequest request;
  request.url = url;
  request.timeouts.idle = 10s;
  request.timeouts.total = 30s;
  return request;
}

// The kind of error a call fails with; fails the test when it succeeds.
template <class Call>
Kind failure_of(Call call, std::string* message = nullptr) {
  try {
    call();
  } catch (const HttpClientError& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "the call succeeded";
  return Kind::protocol;
}

std::string chunk(std::string_view data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size) + std::string(data) + "\r\n";
}

const std::string kChunkedHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

}  // namespace

TEST(HttpClient, ReadsContentLengthBodySplitAtAwkwardPlaces) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send_pieces(
        {"HTTP/1.1 200 OK\r\nContent-Le", "ngth: 11\r\nX-Answer: yes\r\n\r", "\nhel", "lo world"});
  });
  HttpClient client(loopback_options());
  auto response = client.fetch(get(server.url("/greeting?lang=en")));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello world");
  EXPECT_EQ(response.headers.value_or("x-answer", ""), "yes");
  EXPECT_EQ(response.final_url, server.url("/greeting?lang=en"));
}

TEST(HttpClient, SendsMethodTargetHostAndBody) {
  std::promise<std::string> seen;
  FakeHttpServer server([&seen](FakeConnection& c) {
    seen.set_value(c.method() + " " + c.target() + " host=" + c.header("host") +
                   " type=" + c.header("content-type") + " body=" + c.body());
    c.send("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(loopback_options());
  auto request = get(server.url("/v1/chat/completions"));
  request.method = "POST";
  request.headers.set("Content-Type", "application/json");
  request.body = R"({"model":"m"})";
  auto response = client.fetch(request);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(seen.get_future().get(),
            "POST /v1/chat/completions host=127.0.0.1:" + std::to_string(server.port()) +
                R"( type=application/json body={"model":"m"})");
}

TEST(HttpClient, DecodesChunkedBodySplitInsideChunkHeadersAndData) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send_pieces({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5", "\r\nhel", "lo\r\n6\r",
                   "\n wor", "ld\r\n0\r\n", "\r\n"});
  });
  HttpClient client(loopback_options());
  auto response = client.fetch(get(server.url()));
  EXPECT_EQ(response.body, "hello world");
}

TEST(HttpClient, HeadAnswerEndsAfterItsHead) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
    c.wait_for_close();
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.method = "HEAD";
  auto response = client.fetch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.value_or("content-length", ""), "1234");
  EXPECT_TRUE(response.body.empty());
}

TEST(HttpClient, NonSuccessStatusIsAnAnswerNotAnError) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 9\r\n\r\nslow down");
  });
  HttpClient client(loopback_options());
  auto response = client.fetch(get(server.url()));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.body, "slow down");
}

TEST(HttpClient, StreamDeliversEachChunkBeforeTheResponseEnds) {
  // The server sends the second event only after the client has seen the first: a client
  // that waited for the whole body would stall here until its idle timeout.
  std::promise<void> first_seen;
  FakeHttpServer server([&first_seen](FakeConnection& c) {
    c.send(kChunkedHead + chunk("data: one\n\n"));
    first_seen.get_future().wait_for(10s);
    c.send(chunk("data: two\n\n") + chunk(""));
  });
  HttpClient client(loopback_options());
  std::vector<std::string> received;
  int status = 0;
  auto summary = client.stream(
      get(server.url("/events")),
      [&status](int s, const companion::http::Headers& h) {
        status = s;
        return h.value_or("content-type", "") == "text/event-stream";
      },
      [&](std::string_view data) {
        received.emplace_back(data);
        if (received.size() == 1) first_seen.set_value();
        return true;
      });
  EXPECT_EQ(status, 200);
  EXPECT_EQ(summary.status, 200);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0], "data: one\n\n");
  EXPECT_EQ(received[1], "data: two\n\n");
}

TEST(HttpClient, CallbackCanStopTheStreamAndTheServerSeesTheClose) {
  std::promise<bool> closed;
  FakeHttpServer server([&closed](FakeConnection& c) {
    c.send(kChunkedHead + chunk("data: one\n\n"));
    closed.set_value(c.wait_for_close());
  });
  HttpClient client(loopback_options());
  int chunks = 0;
  client.stream(
      get(server.url()), [](int, const auto&) { return true; },
      [&chunks](std::string_view) {
        ++chunks;
        return false;
      });
  EXPECT_EQ(chunks, 1);
  EXPECT_TRUE(closed.get_future().get());
}

TEST(HttpClient, StallLongerThanIdleTimeoutIsTimeout) {
  std::promise<bool> closed;
  FakeHttpServer server([&closed](FakeConnection& c) {
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
    closed.set_value(c.wait_for_close());
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.timeouts.idle = 200ms;
  std::string received;
  std::string message;
  auto kind = failure_of(
      [&] {
        client.stream(
            request, [](int, const auto&) { return true; },
            [&received](std::string_view data) {
              received.append(data);
              return true;
            });
      },
      &message);
  EXPECT_EQ(kind, Kind::timeout) << message;
  EXPECT_EQ(received, "partial");
  EXPECT_TRUE(closed.get_future().get());
}

TEST(HttpClient, ServerThatNeverAnswersHitsTheTotalDeadline) {
  FakeHttpServer server([](FakeConnection& c) {
    // Trickles bytes so the idle timeout never fires; only the deadline can end this.
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
    while (c.send("x")) std::this_thread::sleep_for(20ms);
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.timeouts.idle = 5s;
  request.timeouts.total = 300ms;
  EXPECT_EQ(failure_of([&] { client.fetch(request); }), Kind::timeout);
}

TEST(HttpClient, ResetMidStreamIsAnErrorAfterTheBytesThatArrived) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send_pieces({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "first bytes"});
    c.reset();
  });
  HttpClient client(loopback_options());
  std::string received;
  auto kind = failure_of([&] {
    client.stream(
        get(server.url()), [](int, const auto&) { return true; },
        [&received](std::string_view data) {
          received.append(data);
          return true;
        });
  });
  EXPECT_EQ(kind, Kind::protocol);
  EXPECT_EQ(received, "first bytes");
}

TEST(HttpClient, ConnectionClosedBeforeContentLengthIsProtocolError) {
  FakeHttpServer server(
      [](FakeConnection& c) { c.send("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort"); });
  HttpClient client(loopback_options());
  EXPECT_EQ(failure_of([&] { client.fetch(get(server.url())); }), Kind::protocol);
}

TEST(HttpClient, ChunkedBodyOverTheLimitIsTooLarge) {
  FakeHttpServer server([](FakeConnection& c) {
    std::string piece(500, 'a');
    c.send(kChunkedHead);
    for (int i = 0; i < 4 && c.send(chunk(piece)); ++i) {
    }
    c.send(chunk(""));
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.max_response_bytes = 1000;
  std::size_t delivered = 0;
  auto kind = failure_of([&] {
    client.stream(
        request, [](int, const auto&) { return true; },
        [&delivered](std::string_view data) {
          delivered += data.size();
          return true;
        });
  });
  EXPECT_EQ(kind, Kind::too_large);
  EXPECT_LE(delivered, 1000u);
}

TEST(HttpClient, DeclaredContentLengthOverTheLimitIsTooLarge) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'b'));
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.max_response_bytes = 1000;
  EXPECT_EQ(failure_of([&] { client.fetch(request); }), Kind::too_large);
}

TEST(HttpClient, FollowsRelativeRedirectAndDropsPostBodyOn303) {
  std::vector<std::string> seen;
  FakeHttpServer server([&seen](FakeConnection& c) {
    seen.push_back(c.method() + " " + c.target() + " auth=" + c.header("authorization"));
    if (c.target() == "/start") {
      c.send("HTTP/1.1 303 See Other\r\nLocation: /final\r\nContent-Length: 0\r\n\r\n");
    } else {
      c.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
    }
  });
  HttpClient client(loopback_options());
  auto request = get(server.url("/start"));
  request.method = "POST";
  request.body = "payload";
  request.headers.set("Authorization", "Bearer k");
  request.max_redirects = 3;
  auto response = client.fetch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(response.final_url, server.url("/final"));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "POST /start auth=Bearer k");
  EXPECT_EQ(seen[1], "GET /final auth=Bearer k");  // same origin keeps its credentials
}

TEST(HttpClient, RedirectToAnotherOriginDropsCredentials) {
  std::promise<std::string> auth_seen_by_other;
  FakeHttpServer other([&auth_seen_by_other](FakeConnection& c) {
    auth_seen_by_other.set_value(c.header("authorization"));
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  FakeHttpServer first([&other](FakeConnection& c) {
    c.send("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + other.url("/x") +
           "\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(loopback_options());
  auto request = get(first.url());
  request.headers.set("Authorization", "Bearer secret-key");
  request.max_redirects = 1;
  EXPECT_EQ(client.fetch(request).body, "ok");
  EXPECT_EQ(auth_seen_by_other.get_future().get(), "");
}

TEST(HttpClient, RedirectIsReturnedWhenNotFollowing) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(loopback_options());
  auto response = client.fetch(get(server.url()));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.value_or("location", ""), "/elsewhere");
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, EndlessRedirectsStopAtTheLimit) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 307 Temporary Redirect\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.max_redirects = 2;
  EXPECT_EQ(failure_of([&] { client.fetch(request); }), Kind::protocol);
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpClient, RedirectToARefusedAddressIsRefused) {
  // The first hop is allowed by name of its network; the redirect points at the cloud
  // metadata address, which the policy refuses before any connection is made.
  FakeHttpServer server([](FakeConnection& c) {
    c.send(
        "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\n"
        "Content-Length: 0\r\n\r\n");
  });
  HttpClientOptions options;
  options.policy.allow("127.0.0.1/32");
  HttpClient client(options);
  auto request = get(server.url());
  request.max_redirects = 5;
  std::string message;
  EXPECT_EQ(failure_of([&] { client.fetch(request); }, &message), Kind::refused_by_policy);
  EXPECT_NE(message.find("link-local"), std::string::npos) << message;
}

TEST(HttpClient, RedirectToAnotherSchemeIsRefused) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send("HTTP/1.1 301 Moved\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n");
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.max_redirects = 5;
  EXPECT_EQ(failure_of([&] { client.fetch(request); }), Kind::refused_by_policy);
}

TEST(HttpClient, StrictPolicyRefusesLoopbackInEverySpellingWithoutConnecting) {
  FakeHttpServer server(
      [](FakeConnection& c) { c.send("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret"); });
  HttpClient strict{HttpClientOptions{}};
  auto port = std::to_string(server.port());
  for (const std::string& url :
       {server.url(), "http://localhost:" + port + "/", "http://2130706433:" + port + "/",
        "http://0x7f.1:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/",
        "http://0.0.0.0:" + port + "/"}) {
    EXPECT_EQ(failure_of([&] { strict.fetch(get(url)); }), Kind::refused_by_policy) << url;
  }
  EXPECT_EQ(server.connections(), 0);
}

TEST(HttpClient, RefusesCredentialsInTheUrl) {
  HttpClient client(loopback_options());
  EXPECT_EQ(failure_of([&] { client.fetch(get("http://admin:pw@127.0.0.1:1/")); }),
            Kind::refused_by_policy);
}

TEST(HttpClient, ClosedPortIsConnectError) {
  std::uint16_t closed_port;
  {
    FakeHttpServer gone([](FakeConnection&) {});
    closed_port = gone.port();
  }
  HttpClient client(loopback_options());
  auto url = "http://127.0.0.1:" + std::to_string(closed_port) + "/";
  EXPECT_EQ(failure_of([&] { client.fetch(get(url)); }), Kind::connect);
}

TEST(HttpClient, CancelFromAnotherThreadClosesTheConnection) {
  std::promise<bool> server_saw_close;
  FakeHttpServer server([&server_saw_close](FakeConnection& c) {
    c.send(kChunkedHead + chunk("data: first\n\n"));
    server_saw_close.set_value(c.wait_for_close());
  });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  auto token = request.cancellation;
  std::promise<void> streaming;
  auto call = std::async(std::launch::async, [&] {
    return failure_of([&] {
      client.stream(
          request, [](int, const auto&) { return true; },
          [&streaming](std::string_view) {
            streaming.set_value();
            return true;
          });
    });
  });
  streaming.get_future().wait();
  token.cancel();
  EXPECT_EQ(call.get(), Kind::cancelled);
  EXPECT_TRUE(server_saw_close.get_future().get());
}

TEST(HttpClient, CancelledTokenFailsBeforeConnecting) {
  FakeHttpServer server([](FakeConnection& c) { c.send("HTTP/1.1 204 No Content\r\n\r\n"); });
  HttpClient client(loopback_options());
  auto request = get(server.url());
  request.cancellation.cancel();
  EXPECT_EQ(failure_of([&] { client.fetch(request); }), Kind::cancelled);
  EXPECT_EQ(server.connections(), 0);
}

// --- TLS ----------------------------------------------------------------------------------

namespace {

class TempPemFile {
 public:
  explicit TempPemFile(const std::string& pem) {
    path_ = std::filesystem::temp_directory_path() /
            ("companion-test-ca-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) +
             ".pem");
    std::ofstream(path_) << pem;
  }
  ~TempPemFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline std::atomic<int> counter_{0};
  std::filesystem::path path_;
};

void answer_hello(FakeConnection& c) {
  c.send("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello, tls!\n");
}

}  // namespace

TEST(HttpClientTls, TrustsACertificateFromTheExtraCaFile) {
  auto cert = companion::testing::make_self_signed_certificate("DNS:localhost,IP:127.0.0.1");
  FakeHttpServer server(answer_hello, cert);
  TempPemFile ca(cert.certificate_pem);
  auto options = loopback_options();
  options.tls.extra_ca_file = ca.path();
  HttpClient client(options);
  auto response = client.fetch(get(server.url("/secure")));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello, tls!\n");
  EXPECT_EQ(response.final_url.rfind("https://", 0), 0u);
}

TEST(HttpClientTls, RefusesAnUntrustedCertificate) {
  auto cert = companion::testing::make_self_signed_certificate("DNS:localhost,IP:127.0.0.1");
  FakeHttpServer server(answer_hello, cert);
  HttpClient client(loopback_options());
  EXPECT_EQ(failure_of([&] { client.fetch(get(server.url())); }), Kind::tls);
}

TEST(HttpClientTls, RefusesATrustedCertificateForAnotherName) {
  auto cert = companion::testing::make_self_signed_certificate("DNS:other.example");
  FakeHttpServer server(answer_hello, cert);
  TempPemFile ca(cert.certificate_pem);
  auto options = loopback_options();
  options.tls.extra_ca_file = ca.path();
  HttpClient client(options);
  EXPECT_EQ(failure_of([&] { client.fetch(get(server.url())); }), Kind::tls);
}

TEST(HttpClientTls, VerificationCanBeTurnedOffExplicitly) {
  auto cert = companion::testing::make_self_signed_certificate("DNS:other.example");
  FakeHttpServer server(answer_hello, cert);
  auto options = loopback_options();
  options.tls.verify_peer = false;
  HttpClient client(options);
  EXPECT_EQ(client.fetch(get(server.url())).body, "hello, tls!\n");
}

TEST(HttpClientTls, StreamsChunksOverTls) {
  auto cert = companion::testing::make_self_signed_certificate("IP:127.0.0.1");
  FakeHttpServer server(
      [](FakeConnection& c) {
        c.send_pieces({kChunkedHead, chunk("{\"a\":1}\n"), chunk("{\"b\":2}\n") + chunk("")});
      },
      cert);
  TempPemFile ca(cert.certificate_pem);
  auto options = loopback_options();
  options.tls.extra_ca_file = ca.path();
  HttpClient client(options);
  std::string received;
  client.stream(
      get(server.url()), [](int, const auto&) { return true; },
      [&received](std::string_view data) {
        received.append(data);
        return true;
      });
  EXPECT_EQ(received, "{\"a\":1}\n{\"b\":2}\n");
}

TEST(HttpClientTls, RedirectFromHttpsToHttpSwitchesToAPlainConnection) {
  FakeHttpServer plain(
      [](FakeConnection& c) { c.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain"); });
  auto cert = companion::testing::make_self_signed_certificate("IP:127.0.0.1");
  FakeHttpServer secure(
      [&plain](FakeConnection& c) {
        c.send("HTTP/1.1 302 Found\r\nLocation: " + plain.url("/p") +
               "\r\nContent-Length: 0\r\n\r\n");
      },
      cert);
  TempPemFile ca(cert.certificate_pem);
  auto options = loopback_options();
  options.tls.extra_ca_file = ca.path();
  HttpClient client(options);
  auto request = get(secure.url());
  request.max_redirects = 1;
  auto response = client.fetch(request);
  EXPECT_EQ(response.body, "plain");
  EXPECT_EQ(response.final_url, plain.url("/p"));
}
