// Retries, backoff and the circuit breaker around a provider: transient failures before the
// first token are tried again, nothing else is; a provider that keeps failing is skipped
// until a probe finds it well again; a cancel during a backoff ends the wait at once.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "core/llm/circuit_breaker.hpp"
#include "core/llm/resilient_provider.hpp"
#include "providers/llm/openai_provider.hpp"
#include "support/fake_http_server.hpp"

using namespace std::chrono_literals;
using companion::core::backoff_delay;
using companion::core::ChatRole;
using companion::core::CircuitBreaker;
using companion::core::CircuitBreakerOptions;
using companion::core::CircuitState;
using companion::core::FinishReason;
using companion::core::GenerationCallback;
using companion::core::GenerationEvent;
using companion::core::GenerationRequest;
using companion::core::GenerationResult;
using companion::core::LlmError;
using companion::core::LlmProvider;
using companion::core::ModelInfo;
using companion::core::ResilienceOptions;
using companion::core::ResilientProvider;
using companion::core::RetryOptions;
using companion::providers::OpenAiProvider;
using companion::providers::OpenAiProviderOptions;
using companion::testing::FakeConnection;
using companion::testing::FakeHttpServer;
using Kind = LlmError::Kind;

namespace {

const std::string kSseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";
const std::string kGoodStream =
    kSseHead + R"(data: {"model":"m","choices":[{"index":0,"delta":{"content":"hello"}}]})" +
    "\n\n" + R"(data: {"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})" +
    "\n\ndata: [DONE]\n\n";

void answer_status(FakeConnection& c, int status, std::string extra_headers = "") {
  c.send("HTTP/1.1 " + std::to_string(status) + " Status\r\n" + extra_headers +
         "Content-Length: 0\r\n\r\n");
}

// A clock the test moves by hand.
struct ManualClock {
  std::chrono::steady_clock::time_point now{};
  CircuitBreaker::Clock function() {
    return [this] { return now; };
  }
};

// Retries without waiting long, so tests stay fast.
ResilienceOptions quick_options() {
  ResilienceOptions options;
  options.retry.max_attempts = 3;
  options.retry.base_delay = 1ms;
  options.retry.max_delay = 4ms;
  options.circuit.failure_threshold = 100;
  return options;
}

std::shared_ptr<OpenAiProvider> openai_at(const FakeHttpServer& server) {
  OpenAiProviderOptions options;
  options.base_url = server.url("/v1");
  options.models = {"m"};
  options.connect_timeout = 2s;
  return std::make_shared<OpenAiProvider>(options);
}

GenerationRequest chat_request() {
  GenerationRequest request;
  request.model = "m";
  request.messages.push_back({ChatRole::User, "Hi"});
  request.first_token_timeout = 3s;
  request.deadline = 10s;
  return request;
}

bool keep_going(const GenerationEvent&) {
  return true;
}

template <class Call>
LlmError failure_of(Call call) {
  try {
    call();
  } catch (const LlmError& e) {
    return e;
  }
  ADD_FAILURE() << "the generation succeeded";
  return LlmError(Kind::unknown_model, "no failure");
}

// A provider that fails with whatever the test says, counting its calls.
class ScriptedProvider : public LlmProvider {
 public:
  std::string_view name() const override { return "scripted"; }
  GenerationResult generate(const GenerationRequest&, const GenerationCallback&) override {
    ++calls;
    calls.notify_all();
    if (fail_with) throw LlmError(*fail_with, "scripted failure");
    return {};
  }
  std::vector<ModelInfo> models() const override { return {}; }

  std::atomic<int> calls{0};
  std::optional<Kind> fail_with;
};

}  // namespace

TEST(ResilientProvider, ServerErrorIsRetriedThenUnavailable) {
  FakeHttpServer server([](FakeConnection& c) { answer_status(c, 500); });
  ResilientProvider provider(openai_at(server), quick_options());
  auto error = failure_of([&] { provider.generate(chat_request(), keep_going); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_EQ(server.connections(), 3);
  auto counters = provider.counters();
  EXPECT_EQ(counters.generations, 1u);
  EXPECT_EQ(counters.attempts, 3u);
  EXPECT_EQ(counters.retries, 2u);
  EXPECT_EQ(counters.failures, 3u);
  EXPECT_EQ(counters.successes, 0u);
}

TEST(ResilientProvider, TransientFailureThenSuccessReturnsTheReply) {
  std::atomic<int> seen{0};
  FakeHttpServer server([&seen](FakeConnection& c) {
    if (++seen == 1) {
      answer_status(c, 503);
    } else {
      c.send(kGoodStream);
    }
  });
  ResilientProvider provider(openai_at(server), quick_options());
  auto result = provider.generate(chat_request(), keep_going);
  EXPECT_EQ(result.text, "hello");
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(provider.counters().retries, 1u);
  EXPECT_EQ(provider.counters().successes, 1u);
}

TEST(ResilientProvider, RateLimitIsRetried) {
  std::atomic<int> seen{0};
  FakeHttpServer server([&seen](FakeConnection& c) {
    if (++seen == 1) {
      answer_status(c, 429, "Retry-After: 0\r\n");
    } else {
      c.send(kGoodStream);
    }
  });
  ResilientProvider provider(openai_at(server), quick_options());
  EXPECT_EQ(provider.generate(chat_request(), keep_going).text, "hello");
  EXPECT_EQ(server.connections(), 2);
}

TEST(ResilientProvider, RetryAfterLongerThanWeWaitIsNotRetried) {
  FakeHttpServer server([](FakeConnection& c) { answer_status(c, 429, "Retry-After: 3600\r\n"); });
  ResilientProvider provider(openai_at(server), quick_options());
  auto error = failure_of([&] { provider.generate(chat_request(), keep_going); });
  EXPECT_EQ(error.kind(), Kind::rate_limited);
  EXPECT_EQ(server.connections(), 1);
}

TEST(ResilientProvider, BadRequestIsNotRetried) {
  FakeHttpServer server([](FakeConnection& c) { answer_status(c, 400); });
  ResilientProvider provider(openai_at(server), quick_options());
  EXPECT_EQ(failure_of([&] { provider.generate(chat_request(), keep_going); }).kind(),
            Kind::bad_request);
  EXPECT_EQ(server.connections(), 1);
}

TEST(ResilientProvider, FailureAfterTheFirstTokenIsNotRetried) {
  FakeHttpServer server([](FakeConnection& c) {
    c.send(kSseHead + R"(data: {"choices":[{"index":0,"delta":{"content":"par"}}]})" + "\n\n");
    c.wait_for_close(5s);
  });
  ResilientProvider provider(openai_at(server), quick_options());
  auto request = chat_request();
  request.first_token_timeout = 200ms;  // the stall after "par" times out
  std::string delivered;
  auto error = failure_of([&] {
    provider.generate(request, [&](const GenerationEvent& e) {
      delivered += e.text;
      return true;
    });
  });
  EXPECT_EQ(error.kind(), Kind::timeout);
  EXPECT_FALSE(error.before_first_token());
  EXPECT_EQ(delivered, "par");  // said once, never repeated by a retry
  EXPECT_EQ(server.connections(), 1);
}

TEST(ResilientProvider, CircuitOpensFailsFastThenHalfOpensAfterTheCooldown) {
  std::atomic<bool> healthy{false};
  FakeHttpServer server([&healthy](FakeConnection& c) {
    if (healthy) {
      c.send(kGoodStream);
    } else {
      answer_status(c, 502);
    }
  });
  ManualClock clock;
  auto options = quick_options();
  options.retry.max_attempts = 1;
  options.circuit.failure_threshold = 3;
  options.circuit.cooldown = 30s;
  ResilientProvider provider(openai_at(server), options, clock.function());

  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(failure_of([&] { provider.generate(chat_request(), keep_going); }).kind(),
              Kind::unavailable);
  EXPECT_EQ(provider.counters().circuit, CircuitState::open);

  // Open: refused without a connection.
  EXPECT_EQ(failure_of([&] { provider.generate(chat_request(), keep_going); }).kind(),
            Kind::circuit_open);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(provider.counters().rejected, 1u);

  // Still open just before the cooldown ends.
  clock.now += 29s;
  EXPECT_EQ(failure_of([&] { provider.generate(chat_request(), keep_going); }).kind(),
            Kind::circuit_open);
  EXPECT_EQ(server.connections(), 3);

  // After it, one probe goes through; the provider has recovered, so the circuit closes.
  clock.now += 2s;
  healthy = true;
  EXPECT_EQ(provider.counters().circuit, CircuitState::half_open);
  EXPECT_EQ(provider.generate(chat_request(), keep_going).text, "hello");
  EXPECT_EQ(server.connections(), 4);
  EXPECT_EQ(provider.counters().circuit, CircuitState::closed);
}

TEST(ResilientProvider, CancelDuringBackoffStopsAtOnce) {
  auto inner = std::make_shared<ScriptedProvider>();
  inner->fail_with = Kind::unavailable;
  auto options = quick_options();
  // A wait no test could sit through: only the cancel can end it.
  options.retry.base_delay = std::chrono::hours(1);
  options.retry.max_delay = std::chrono::hours(1);
  ResilientProvider provider(inner, options);
  auto request = chat_request();
  request.deadline = std::chrono::hours(3);
  auto token = request.cancellation;
  auto call = std::async(std::launch::async, [&] {
    return failure_of([&] { provider.generate(request, keep_going); });
  });
  inner->calls.wait(0);  // the first attempt has failed (or is failing)
  token.cancel();
  EXPECT_EQ(call.get().kind(), Kind::cancelled);
  EXPECT_EQ(inner->calls, 1);
}

TEST(ResilientProvider, CancelledGenerationIsNotRetriedNorCountedAgainstTheProvider) {
  auto inner = std::make_shared<ScriptedProvider>();
  inner->fail_with = Kind::cancelled;
  auto options = quick_options();
  options.circuit.failure_threshold = 1;
  ResilientProvider provider(inner, options);
  EXPECT_EQ(failure_of([&] { provider.generate(chat_request(), keep_going); }).kind(),
            Kind::cancelled);
  EXPECT_EQ(inner->calls, 1);
  EXPECT_EQ(provider.counters().circuit, CircuitState::closed);
}

TEST(ResilientProvider, NoRetryWhenTheDeadlineCannotFitTheBackoff) {
  auto inner = std::make_shared<ScriptedProvider>();
  inner->fail_with = Kind::timeout;
  auto options = quick_options();
  options.retry.base_delay = 10s;
  options.retry.max_delay = 10s;
  ResilientProvider provider(inner, options);
  auto request = chat_request();
  request.deadline = 1s;
  EXPECT_EQ(failure_of([&] { provider.generate(request, keep_going); }).kind(), Kind::timeout);
  EXPECT_EQ(inner->calls, 1);
}

TEST(Backoff, DoublesFromTheBaseUpToTheCapWithJitterInTheUpperHalf) {
  RetryOptions options;
  options.base_delay = 200ms;
  options.max_delay = 2s;
  EXPECT_EQ(backoff_delay(options, 1, 0.0), 100ms);
  EXPECT_EQ(backoff_delay(options, 1, 0.999), 199ms);
  EXPECT_EQ(backoff_delay(options, 2, 0.0), 200ms);
  EXPECT_EQ(backoff_delay(options, 3, 0.5), 600ms);
  EXPECT_EQ(backoff_delay(options, 10, 0.0), 1s);
  EXPECT_EQ(backoff_delay(options, 40, 0.999), 1999ms);
}

TEST(CircuitBreaker, HalfOpenLetsOneProbeThroughAndAFailedProbeReopens) {
  ManualClock clock;
  CircuitBreaker breaker(CircuitBreakerOptions{2, 10s}, clock.function());
  ASSERT_TRUE(breaker.allow());
  breaker.record_failure();
  ASSERT_TRUE(breaker.allow());
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), CircuitState::open);
  EXPECT_FALSE(breaker.allow());

  clock.now += 10s;
  EXPECT_TRUE(breaker.allow());   // the probe
  EXPECT_FALSE(breaker.allow());  // no second caller while it is out
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), CircuitState::open);
  EXPECT_FALSE(breaker.allow());

  clock.now += 10s;
  EXPECT_TRUE(breaker.allow());
  breaker.release();  // the probe was cancelled: the next caller probes instead
  EXPECT_TRUE(breaker.allow());
  breaker.record_success();
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_EQ(breaker.consecutive_failures(), 0);
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, SuccessesBetweenFailuresKeepItClosed) {
  ManualClock clock;
  CircuitBreaker breaker(CircuitBreakerOptions{2, 10s}, clock.function());
  for (int i = 0; i < 5; ++i) {
    breaker.record_failure();
    breaker.record_success();
  }
  EXPECT_EQ(breaker.state(), CircuitState::closed);
  EXPECT_TRUE(breaker.allow());
}
