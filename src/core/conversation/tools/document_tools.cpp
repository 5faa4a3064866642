#include "core/conversation/tools/document_tools.hpp"

#include <boost/json.hpp>

#include "core/conversation/tools/tool_arguments.hpp"
#include "core/knowledge/knowledge_service.hpp"

namespace companion::core {
namespace {

class SemanticSearchTool final : public Tool {
 public:
  explicit SemanticSearchTool(std::shared_ptr<KnowledgeService> knowledge)
      : knowledge_(std::move(knowledge)) {
    schema_.name = "semantic_search";
    schema_.description =
        "Search the user's uploaded documents for passages about a question; cite the "
        "document and page you answer from.";
    schema_.parameters_json =
        R"({"type":"object","properties":{"query":{"type":"string"},)"
        R"("collection":{"type":"string","description":"optional collection name"}},"required":["query"]})";
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    KnowledgeSearch search;
    search.query = required_string(args, "query");
    search.collection = optional_string(args, "collection");
    search.limit = 3;
    boost::json::array results;
    for (const auto& hit : knowledge_->search(context.user_id, search)) {
      results.push_back(boost::json::object{{"text", hit.passage.text},
                                            {"document_id", hit.passage.document_id},
                                            {"document_title", hit.passage.filename},
                                            {"page", hit.passage.page},
                                            {"score", hit.score}});
    }
    return to_json_text(boost::json::object{{"results", std::move(results)}});
  }

 private:
  std::shared_ptr<KnowledgeService> knowledge_;
  ToolSchema schema_;
};

}  // namespace

std::shared_ptr<Tool> make_semantic_search_tool(std::shared_ptr<KnowledgeService> knowledge) {
  return std::make_shared<SemanticSearchTool>(std::move(knowledge));
}

}  // namespace companion::core
