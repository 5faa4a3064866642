#include "core/conversation/tools/memory_tools.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/conversation/tools/tool_arguments.hpp"
#include "core/memory/memory_service.hpp"

namespace companion::core {
namespace {

boost::json::object describe(const Memory& memory) {
  return {{"id", memory.id},
          {"content", memory.content},
          {"category", memory.category},
          {"importance", memory.importance},
          {"tier", std::string(tier_name(memory.tier))}};
}

class SaveMemoryTool final : public Tool {
 public:
  explicit SaveMemoryTool(std::shared_ptr<MemoryService> memory) : memory_(std::move(memory)) {
    schema_.name = "save_memory";
    schema_.description =
        "Remember something about the user for later conversations (a fact, a preference, a "
        "plan). Write it as a short statement about the user.";
    schema_.parameters_json =
        R"({"type":"object","properties":{"content":{"type":"string","description":"what to remember"},)"
        R"("category":{"type":"string","enum":["personal","preferences","work","context","general"]},)"
        R"("importance":{"type":"number","minimum":0,"maximum":1}},"required":["content"]})";
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    NewMemory memory;
    memory.user_id = context.user_id;
    memory.content = required_string(args, "content");
    memory.category = optional_string(args, "category").value_or("general");
    memory.importance = std::clamp(optional_number(args, "importance").value_or(0.6), 0.0, 1.0);
    memory.source = MemorySource::Tool;
    memory.session_id = context.conversation_id;
    auto saved = memory_->save(memory);
    return to_json_text(boost::json::object{{"saved", true}, {"memory", describe(saved)}});
  }

 private:
  std::shared_ptr<MemoryService> memory_;
  ToolSchema schema_;
};

class SearchMemoryTool final : public Tool {
 public:
  explicit SearchMemoryTool(std::shared_ptr<MemoryService> memory) : memory_(std::move(memory)) {
    schema_.name = "search_memory";
    schema_.description = "Search what you remember about the user.";
    schema_.parameters_json =
        R"({"type":"object","properties":{"query":{"type":"string"}},"required":["query"]})";
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    MemorySearch search;
    search.query = required_string(args, "query");
    search.limit = 5;
    boost::json::array results;
    for (const auto& hit : memory_->search(context.user_id, search)) {
      auto item = describe(hit.memory);
      item["similarity"] = hit.similarity.value_or(0.0);
      results.push_back(std::move(item));
    }
    return to_json_text(boost::json::object{{"results", std::move(results)}});
  }

 private:
  std::shared_ptr<MemoryService> memory_;
  ToolSchema schema_;
};

class DeleteMemoryTool final : public Tool {
 public:
  explicit DeleteMemoryTool(std::shared_ptr<MemoryService> memory) : memory_(std::move(memory)) {
    schema_.name = "delete_memory";
    schema_.description =
        "Forget what you remember about the user on a subject, when the user asks you to.";
    schema_.parameters_json =
        R"({"type":"object","properties":{"query":{"type":"string","description":"what to forget"}},"required":["query"]})";
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    MemorySearch search;
    search.query = required_string(args, "query");
    search.limit = 3;
    // Only close matches are forgotten: deleting a loosely related memory would lose
    // something the user did not ask to lose.
    boost::json::array forgotten;
    for (const auto& hit : memory_->search(context.user_id, search)) {
      if (hit.similarity.value_or(0.0) < min_similarity_) continue;
      if (memory_->remove(context.user_id, hit.memory.id))
        forgotten.push_back(describe(hit.memory));
    }
    auto count = static_cast<std::int64_t>(forgotten.size());
    return to_json_text(
        boost::json::object{{"deleted", count}, {"memories", std::move(forgotten)}});
  }

 private:
  static constexpr double min_similarity_ = 0.35;
  std::shared_ptr<MemoryService> memory_;
  ToolSchema schema_;
};

}  // namespace

std::shared_ptr<Tool> make_save_memory_tool(std::shared_ptr<MemoryService> memory) {
  return std::make_shared<SaveMemoryTool>(std::move(memory));
}
std::shared_ptr<Tool> make_search_memory_tool(std::shared_ptr<MemoryService> memory) {
  return std::make_shared<SearchMemoryTool>(std::move(memory));
}
std::shared_ptr<Tool> make_delete_memory_tool(std::shared_ptr<MemoryService> memory) {
  return std::make_shared<DeleteMemoryTool>(std::move(memory));
}

}  // namespace companion::core
