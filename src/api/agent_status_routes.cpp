#include "api/agent_status_routes.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cmath>

#include "core/affect/emotion.hpp"
#include "core/conversation/intent_detector.hpp"
#include "core/conversation/stage_statistics.hpp"
#include "core/knowledge/knowledge_service.hpp"
#include "core/memory/memory_service.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

// AI Friend names three agents; each gathers stages of the pipeline.
struct AgentStages {
  std::string_view agent;
  std::vector<std::string_view> stages;
};
const std::vector<AgentStages>& agents() {
  static const std::vector<AgentStages> all = {
      {"emotion", {"emotion"}},     {"context", {"history", "memory", "documents"}},
      {"task", {"intent"}},         {"generation", {"generation"}},
      {"tools", {"tools"}},         {"memory_extraction", {"facts"}},
      {"persistence", {"persist"}},
  };
  return all;
}

double round2(double v) {
  return std::round(v * 100) / 100;
}

json::object agent_json(std::string_view agent, const std::vector<core::StageReport>& reports) {
  core::StageReport sum;
  for (const auto& r : reports) {
    sum.runs += r.runs;
    sum.failures += r.failures;
    sum.total_ms += r.total_ms;
    sum.last_run_at = std::max(sum.last_run_at, r.last_run_at);
  }
  json::value last = sum.last_run_at ? json::value(http::iso8601_from_unix(sum.last_run_at))
                                     : json::value(nullptr);
  return {{"type", agent},
          {"status", "active"},
          {"last_execution", std::move(last)},
          {"avg_execution_time_ms", round2(sum.average_ms())},
          {"total_executions", sum.runs},
          {"success_rate", std::round(sum.success_rate() * 1000) / 1000}};
}

http::Response status(ChatDeps& deps, http::Request&) {
  std::map<std::string, core::StageReport, std::less<>> by_stage;
  for (auto& report : deps.stages->snapshot()) by_stage[report.stage] = report;
  json::array list;
  for (const auto& agent : agents()) {
    std::vector<core::StageReport> reports;
    for (auto stage : agent.stages) {
      if (auto it = by_stage.find(stage); it != by_stage.end()) reports.push_back(it->second);
    }
    list.push_back(agent_json(agent.agent, reports));
  }
  auto wall = by_stage["coordinator"];
  auto serial = by_stage["coordinator_serial"];
  double speedup = wall.total_ms > 0 ? serial.total_ms / wall.total_ms : 1.0;
  json::object coordinator{{"parallel_execution", true},
                           {"avg_total_time_ms", round2(wall.average_ms())},
                           {"speedup_factor", round2(speedup)},
                           {"turns", wall.runs}};
  return http::Response::json(
      200, json::object{{"agents", std::move(list)}, {"coordinator", std::move(coordinator)}});
}

json::value run_agent(ChatDeps& deps, const core::Principal& user, std::string_view agent,
                      const std::string& input) {
  if (agent == "emotion") {
    auto a = deps.emotions->analyze(input);
    return json::object{{"primary_emotion", a.primary},
                        {"confidence", std::round(a.confidence * 1000) / 1000},
                        {"sentiment_score", std::round(a.sentiment * 1000) / 1000},
                        {"intensity", a.intensity}};
  }
  if (agent == "task") {
    auto intent = deps.intents->detect(input);
    json::object slots;
    for (const auto& [k, v] : intent.slots) slots[k] = v;
    return json::object{{"intent", intent.name},
                        {"confidence", std::round(intent.confidence * 1000) / 1000},
                        {"slots", std::move(slots)}};
  }
  // context: what a turn with this message would recall and look up.
  json::array memories, passages;
  if (deps.memory) {
    core::MemorySearch search;
    search.query = input;
    search.limit = 5;
    for (const auto& hit : deps.memory->search(user.user_id, search))
      memories.push_back(
          {{"content", hit.memory.content},
           {"similarity", hit.similarity ? json::value(*hit.similarity) : json::value(nullptr)}});
  }
  if (deps.knowledge) {
    core::KnowledgeSearch search;
    search.query = input;
    search.limit = 3;
    for (const auto& hit : deps.knowledge->search(user.user_id, search))
      passages.push_back({{"document", hit.passage.filename},
                          {"page", hit.passage.page},
                          {"text", hit.passage.text}});
  }
  return json::object{{"memories", std::move(memories)}, {"passages", std::move(passages)}};
}

http::Response test(ChatDeps& deps, http::Request& req) {
  http::JsonBody body(req);
  auto agent = body.required_string("agent_type", 1, 32);
  auto input = body.required_string("input", 1, 10000);
  auto named = body.optional_string("user_id", 64).value_or("");
  if (agent != "emotion" && agent != "context" && agent != "task")
    body.add_error(
        "agent_type",
        "value is not a valid enumeration member; permitted: 'emotion', 'context', 'task'",
        "type_error.enum");
  body.check();
  auto user = chat_user(deps, req, named);
  auto started = std::chrono::steady_clock::now();
  json::value output;
  bool ok = true;
  std::string error;
  try {
    output = run_agent(deps, user, agent, input);
  } catch (const std::exception& e) {
    ok = false;
    error = e.what();
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  json::object out{{"agent_type", agent},
                   {"input", input},
                   {"output", std::move(output)},
                   {"execution_time_ms", round2(ms)},
                   {"success", ok}};
  if (!ok) out["error"] = error;
  return http::Response::json(200, out);
}

}  // namespace

void register_agent_status_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  http::Route status_route;
  status_route.method = http::Method::Get;
  status_route.pattern = "/api/agents/status";
  status_route.access = http::Access::User;
  status_route.doc = {"Each stage of the turn pipeline: runs, timing, success rate", "Agents",
                      "Counted and timed as turns run; speedup_factor compares the analysis "
                      "stages' summed time with the wall time they took side by side."};
  status_route.doc.error_statuses = {401};
  status_route.handler = [deps](http::Request& req) { return status(*deps, req); };
  router.add(std::move(status_route));

  http::Route test_route;
  test_route.method = http::Method::Post;
  test_route.pattern = "/api/agents/test";
  test_route.access = http::Access::User;
  test_route.doc = {"Run one agent (emotion, context, task) on an input", "Agents", ""};
  test_route.doc.request_schema =
      R"({"type":"object","required":["agent_type","input"],"properties":{"agent_type":{"type":"string","enum":["emotion","context","task"]},"input":{"type":"string"}}})";
  test_route.doc.error_statuses = {401, 422};
  test_route.handler = [deps](http::Request& req) { return test(*deps, req); };
  router.add(std::move(test_route));
}

}  // namespace companion::api
