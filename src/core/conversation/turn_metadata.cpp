#include "core/conversation/turn_metadata.hpp"

#include <boost/json.hpp>

namespace companion::core {
namespace {

boost::json::object emotion_json(const EmotionAnalysis& analysis) {
  boost::json::object distribution;
  for (const auto& [label, share] : analysis.distribution) distribution[label] = share;
  return {{"primary", analysis.primary},     {"confidence", analysis.confidence},
          {"sentiment", analysis.sentiment}, {"subjectivity", analysis.subjectivity},
          {"intensity", analysis.intensity}, {"distribution", std::move(distribution)}};
}

}  // namespace

std::string emotion_metadata(const EmotionAnalysis& analysis) {
  return boost::json::serialize(boost::json::object{{"emotion", emotion_json(analysis)}});
}

std::string reply_metadata(const TurnResult& result) {
  boost::json::array sources;
  for (const auto& source : result.sources) {
    boost::json::object item{{"document_id", source.document_id},
                             {"document_title", source.document_title},
                             {"score", source.score}};
    if (source.page) item["page"] = *source.page;
    sources.push_back(std::move(item));
  }
  boost::json::array tools;
  for (const auto& tool : result.tools) {
    tools.push_back({{"tool", tool.tool},
                     {"arguments", tool.arguments_json},
                     {"ok", tool.phase == ToolActivity::Phase::Finished},
                     {"latency_ms", tool.latency_ms},
                     {"error", tool.error}});
  }
  boost::json::object timings{{"prepare_ms", result.timings.prepare_ms},
                              {"first_token_ms", result.timings.first_token_ms},
                              {"run_ms", result.timings.run_ms},
                              {"total_ms", result.timings.total_ms}};
  boost::json::object stages;
  for (const auto& stage : result.timings.stages) stages[stage.stage] = stage.ms;
  timings["stages"] = std::move(stages);
  boost::json::object meta{
      {"emotion", emotion_json(result.reply_emotion)},
      {"usage",
       {{"prompt_tokens", result.usage.prompt_tokens},
        {"completion_tokens", result.usage.completion_tokens},
        {"estimated", result.usage_estimated}}},
      {"finish_reason", std::string(finish_reason_name(result.finish))},
      {"timings", std::move(timings)},
      {"sources", std::move(sources)},
      {"tools", std::move(tools)},
      {"memories_recalled", static_cast<std::int64_t>(result.memories.size())},
  };
  if (!result.error.empty()) meta["error"] = result.error;
  return boost::json::serialize(meta);
}

}  // namespace companion::core
