// Micro-benchmarks of per-request work outside the transport: matching a path against a
// route table the size of the full API surface, and building the JSON error body.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "http/error.hpp"
#include "http/router.hpp"

using namespace companion::http;

namespace {

// A table shaped like the real one: mostly static paths, a good share of templates with
// one or two parameters, several methods on one path.
Router make_router() {
  static const std::vector<std::pair<Method, std::string>> table = {
      {Method::Get, "/health"},
      {Method::Get, "/metrics"},
      {Method::Get, "/openapi.json"},
      {Method::Post, "/api/echo"},
      {Method::Post, "/api/auth/register"},
      {Method::Post, "/api/auth/login"},
      {Method::Post, "/api/auth/logout"},
      {Method::Get, "/api/chat/stream"},
      {Method::Post, "/api/chat/stream"},
      {Method::Post, "/api/chat"},
      {Method::Get, "/api/chat/history/{user_id}"},
      {Method::Get, "/api/chat/ws/{user_id}"},
      {Method::Get, "/api/voice/stream/{user_id}"},
      {Method::Get, "/api/profile/{user_id}"},
      {Method::Put, "/api/profile/{user_id}"},
      {Method::Get, "/api/memory/stats"},
      {Method::Get, "/api/memory/{user_id}"},
      {Method::Delete, "/api/memory/{memory_id}"},
      {Method::Post, "/api/memory/search"},
      {Method::Get, "/api/sessions"},
      {Method::Post, "/api/sessions/"},
      {Method::Get, "/api/sessions/{session_id}"},
      {Method::Delete, "/api/sessions/{session_id}"},
      {Method::Get, "/api/v1/characters"},
      {Method::Post, "/api/v1/characters"},
      {Method::Get, "/api/v1/characters/{character_id}"},
      {Method::Patch, "/api/v1/characters/{character_id}"},
      {Method::Delete, "/api/v1/characters/{character_id}"},
      {Method::Get, "/api/v1/characters/{character_id}/messages"},
      {Method::Get, "/v1/sessions/{session_id}/messages"},
      {Method::Post, "/v1/sessions/{session_id}/messages/{message_id}/feedback"},
      {Method::Post, "/v1/chat/completions"},
      {Method::Get, "/v1/models"},
      {Method::Post, "/v1/embeddings"},
      {Method::Post, "/v1/audio/speech"},
      {Method::Post, "/v1/audio/transcriptions"},
      {Method::Get, "/v1/analytics/overview"},
      {Method::Get, "/v1/analytics/topics/{topic}"},
      {Method::Get, "/api/agents/"},
      {Method::Get, "/api/agents/{agent_id}/"},
      {Method::Get, "/api/chats/{chat_id}/messages/"},
      {Method::Get, "/ws"},
  };
  Router router;
  for (const auto& [method, pattern] : table) {
    Route r;
    r.method = method;
    r.pattern = pattern;
    r.handler = [](Request&) { return Response{}; };
    router.add(std::move(r));
  }
  return router;
}

void match_path(benchmark::State& state, Method method, const char* path) {
  Router router = make_router();
  for (auto _ : state) {
    auto m = router.match(method, path);
    benchmark::DoNotOptimize(m);
  }
}

void BM_RouterStaticHit(benchmark::State& s) {
  match_path(s, Method::Get, "/health");
}
void BM_RouterTemplateHit(benchmark::State& s) {
  match_path(s, Method::Post, "/v1/sessions/abc123/messages/42/feedback");
}
void BM_RouterTemplateLast(benchmark::State& s) {
  // The template with the fewest literals is tried after every other one.
  match_path(s, Method::Get, "/api/profile/alice");
}
void BM_RouterMiss404(benchmark::State& s) {
  match_path(s, Method::Get, "/no/such/path/here");
}
void BM_RouterWrongMethod405(benchmark::State& s) {
  match_path(s, Method::Delete, "/api/v1/characters");
}

void BM_ErrorBody404(benchmark::State& state) {
  for (auto _ : state) {
    auto res = error_response(404, "Not Found");
    benchmark::DoNotOptimize(res.body.data());
  }
}

void BM_ValidationErrorBody422(benchmark::State& state) {
  std::vector<FieldError> errors = {
      {{"body", "message"}, "field required", "value_error.missing"},
      {{"body", "temperature"},
       "ensure this value is less than or equal to 2",
       "value_error.number.not_le"},
  };
  for (auto _ : state) {
    auto res = validation_error(errors);
    benchmark::DoNotOptimize(res.body.data());
  }
}

}  // namespace

BENCHMARK(BM_RouterStaticHit);
BENCHMARK(BM_RouterTemplateHit);
BENCHMARK(BM_RouterTemplateLast);
BENCHMARK(BM_RouterMiss404);
BENCHMARK(BM_RouterWrongMethod405);
BENCHMARK(BM_ErrorBody404);
BENCHMARK(BM_ValidationErrorBody422);

BENCHMARK_MAIN();
