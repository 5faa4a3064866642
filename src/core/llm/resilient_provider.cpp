#include "core/llm/resilient_provider.hpp"

#include <algorithm>
#include <condition_variable>
#include <optional>

namespace companion::core {

namespace {

using Kind = LlmError::Kind;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool is_transient(Kind kind) {
  return kind == Kind::unavailable || kind == Kind::rate_limited || kind == Kind::timeout;
}

// Whether the error says the provider is unwell (as opposed to the request being wrong or
// the user having left).
bool counts_against_provider(Kind kind) {
  return is_transient(kind) || kind == Kind::bad_response;
}

LlmError cancelled_error() {
  return LlmError(Kind::cancelled, "the generation was cancelled");
}

// Waits `pause` unless the token is cancelled first; false when it was.
bool sleep_unless_cancelled(const CancellationToken& token, milliseconds pause) {
  struct Wake {
    std::mutex mutex;
    std::condition_variable changed;
    bool cancelled = false;
  };
  auto wake = std::make_shared<Wake>();
  auto registration = token.on_cancel([wake] {
    {
      std::lock_guard lock(wake->mutex);
      wake->cancelled = true;
    }
    wake->changed.notify_all();
  });
  // The lock is released before the registration goes: cancel() runs the action while it
  // holds the token's own lock.
  std::unique_lock lock(wake->mutex);
  wake->changed.wait_for(lock, pause, [&wake] { return wake->cancelled; });
  return !wake->cancelled;
}

milliseconds remaining(milliseconds budget, Clock::time_point started) {
  auto spent = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return budget - spent;
}

}  // namespace

milliseconds backoff_delay(const RetryOptions& options, int retry, double jitter) {
  auto delay = options.base_delay;
  for (int i = 1; i < retry && delay < options.max_delay; ++i) delay *= 2;
  delay = std::min(delay, options.max_delay);
  auto half = delay / 2;
  return half + milliseconds(static_cast<std::int64_t>(static_cast<double>(half.count()) *
                                                       std::clamp(jitter, 0.0, 1.0)));
}

ResilientProvider::ResilientProvider(std::shared_ptr<LlmProvider> inner, ResilienceOptions options,
                                     CircuitBreaker::Clock clock)
    : inner_(std::move(inner)),
      options_(options),
      breaker_(options.circuit, std::move(clock)),
      random_(std::random_device{}()) {}

ProviderCounters ResilientProvider::counters() const {
  ProviderCounters out;
  out.generations = generations_;
  out.attempts = attempts_;
  out.retries = retries_;
  out.successes = successes_;
  out.failures = failures_;
  out.rejected = rejected_;
  out.circuit = breaker_.state();
  out.consecutive_failures = breaker_.consecutive_failures();
  return out;
}

GenerationResult ResilientProvider::generate(const GenerationRequest& request,
                                             const GenerationCallback& on_event) {
  ++generations_;
  auto started = Clock::now();
  std::optional<GenerationRequest> retry_request;  // a copy only once a retry needs one
  const GenerationRequest* current = &request;
  for (int attempt_number = 1;; ++attempt_number) {
    try {
      return attempt(*current, on_event);
    } catch (const LlmError& error) {
      bool retryable = is_transient(error.kind()) && error.before_first_token() &&
                       attempt_number < options_.retry.max_attempts;
      if (!retryable) throw;
      auto pause = pause_before(attempt_number, error);
      auto left = remaining(request.deadline, started);
      if (pause >= left) throw;  // the retry could not finish in time anyway
      if (!sleep_unless_cancelled(request.cancellation, pause)) throw cancelled_error();
      // The retry gets what is left of the generation's time, not a fresh allowance.
      if (!retry_request) retry_request.emplace(request);
      left = remaining(request.deadline, started);
      retry_request->deadline = left;
      retry_request->first_token_timeout = std::min(request.first_token_timeout, left);
      current = &*retry_request;
      ++retries_;
    }
  }
}

// One call through the breaker. A retry that finds the circuit open (other calls opened it
// meanwhile) reports circuit_open as well: the provider will not be tried.
GenerationResult ResilientProvider::attempt(const GenerationRequest& request,
                                            const GenerationCallback& on_event) {
  if (request.cancellation.cancelled()) throw cancelled_error();
  if (!breaker_.allow()) {
    ++rejected_;
    throw LlmError(Kind::circuit_open,
                   std::string(inner_->name()) + " failed repeatedly; not trying it for now");
  }
  ++attempts_;
  try {
    auto result = inner_->generate(request, on_event);
    breaker_.record_success();
    ++successes_;
    return result;
  } catch (const LlmError& error) {
    if (counts_against_provider(error.kind())) {
      breaker_.record_failure();
      ++failures_;
    } else if (error.kind() == Kind::bad_request) {
      breaker_.record_success();  // it answered: the provider is up, the request was wrong
    } else {
      breaker_.release();
    }
    throw;
  } catch (...) {
    breaker_.release();  // the consumer's own failure says nothing about the provider
    throw;
  }
}

milliseconds ResilientProvider::pause_before(int retry, const LlmError& error) {
  double jitter;
  {
    std::lock_guard lock(random_mutex_);
    jitter = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  }
  auto pause = backoff_delay(options_.retry, retry, jitter);
  if (auto asked = error.retry_after()) {
    if (*asked > options_.retry.max_retry_after) throw error;
    pause = std::max(pause, *asked);
  }
  return pause;
}

}  // namespace companion::core
