#pragma once
// A provider wrapped in the patience a network service needs: failures that happened before
// anything was streamed (could not connect, 5xx, 429, no first token in time) are tried
// again after an exponential, jittered backoff; a provider that keeps failing is not called
// at all for a while (the circuit breaker). Failures after the first token are never
// retried, since the user has already seen part of the reply.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>

#include "core/llm/circuit_breaker.hpp"
#include "core/llm/llm_provider.hpp"

namespace companion::core {

struct RetryOptions {
  int max_attempts = 3;  // the first call included
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{2'000};
  // A provider that asks (Retry-After) for a longer wait than this is not waited for: the
  // user is better served by the error now.
  std::chrono::milliseconds max_retry_after{10'000};
};

struct ResilienceOptions {
  RetryOptions retry;
  CircuitBreakerOptions circuit;
};

// What the decorator has seen, for metrics and health reports.
struct ProviderCounters {
  std::uint64_t generations = 0;  // calls of generate()
  std::uint64_t attempts = 0;     // calls that reached the provider
  std::uint64_t retries = 0;      // attempts after the first of a generation
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;  // attempts that failed with a provider error
  std::uint64_t rejected = 0;  // attempts refused because the circuit was open
  CircuitState circuit = CircuitState::closed;
  int consecutive_failures = 0;
};

// The pause before retry number `retry` (1-based): base·2^(retry-1), capped, then jittered
// into its upper half by `jitter` in [0, 1) so that many clients do not retry in step.
std::chrono::milliseconds backoff_delay(const RetryOptions& options, int retry, double jitter);

class ResilientProvider final : public LlmProvider {
 public:
  ResilientProvider(
      std::shared_ptr<LlmProvider> inner, ResilienceOptions options = {},
      CircuitBreaker::Clock clock = [] { return std::chrono::steady_clock::now(); });

  std::string_view name() const override { return inner_->name(); }
  // Throws LlmError circuit_open without calling the provider while the circuit is open,
  // and LlmError cancelled at once when the request is cancelled during a backoff.
  GenerationResult generate(const GenerationRequest& request,
                            const GenerationCallback& on_event) override;
  std::vector<ModelInfo> models() const override { return inner_->models(); }

  ProviderCounters counters() const;

 private:
  GenerationResult attempt(const GenerationRequest& request, const GenerationCallback& on_event);
  std::chrono::milliseconds pause_before(int retry, const LlmError& error);

  std::shared_ptr<LlmProvider> inner_;
  ResilienceOptions options_;
  CircuitBreaker breaker_;
  std::mutex random_mutex_;
  std::minstd_rand random_;
  std::atomic<std::uint64_t> generations_{0}, attempts_{0}, retries_{0}, successes_{0},
      failures_{0}, rejected_{0};
};

}  // namespace companion::core
