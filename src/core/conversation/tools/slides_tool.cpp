#include "core/conversation/tools/slides_tool.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "core/conversation/conversation_repository.hpp"
#include "core/conversation/tools/tool_arguments.hpp"
#include "core/knowledge/knowledge_service.hpp"
#include "core/memory/memory_service.hpp"
#include "core/slides/deck_writer.hpp"
#include "core/slides/editorjs_document.hpp"
#include "core/slides/slides_repository.hpp"

namespace companion::core {
namespace {

constexpr std::size_t kPassages = 4;
constexpr std::size_t kMemories = 4;
constexpr std::size_t kRecentMessages = 8;
// Weaker recollections and passages are left out of the slides (as out of the prompt).
constexpr double kMinSimilarity = 0.2;

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SlidesTool final : public Tool {
 public:
  explicit SlidesTool(SlidesToolPorts ports) : ports_(std::move(ports)) {
    if (!ports_.clock_ms) ports_.clock_ms = system_now_ms;
    schema_.name = std::string(slides_tool_name);
    schema_.description =
        "Create a slide deck (an Editor.js document) about a topic for the user, or change "
        "the deck of this session: instructions starting with add, rename, remove or update "
        "edit the existing deck. The slides draw on the user's documents and memories.";
    schema_.parameters_json =
        R"({"type":"object","properties":{)"
        R"("title":{"type":"string","description":"the deck's title; empty: made from the topic"},)"
        R"("topic":{"type":"string","description":"what the slides are about"},)"
        R"("instructions":{"type":"string","description":"what to make or change, in the user's words"}}})";
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    std::string title = optional_string(args, "title").value_or("");
    std::string topic = optional_string(args, "topic").value_or("");
    std::string instructions = optional_string(args, "instructions").value_or("");
    if (title.empty() && topic.empty() && instructions.empty())
      throw ToolError("say what the slides should be about (topic) or what to change");

    auto existing = ports_.slides->latest_for(context.conversation_id);
    DeckEdit edit = read_deck_edit(instructions);
    // A deck is changed only when the session has one and the instructions ask for an
    // edit, or when the call names no topic at all (a follow-up about "the slides").
    bool update = existing && (edit.kind != DeckEditKind::None || topic.empty());
    if (!update && topic.empty()) {
      bool names_subject = edit.kind == DeckEditKind::AddSlide && !edit.subject.empty();
      topic = !title.empty() ? title : names_subject ? edit.subject : instructions;
    }
    if (!update && topic.empty()) throw ToolError("there are no slides in this session to change");

    SlideDeck deck = update ? changed(*existing, edit, context) : created(title, topic, context);
    if (context.cancellation.cancelled()) throw ToolError("the turn was cancelled");
    auto saved = ports_.slides->save(deck);
    if (!saved) throw ToolError("the session of this conversation no longer exists");
    return to_json_text(boost::json::object{{"title", saved->title},
                                            {"summary", saved->summary},
                                            {"blocks", block_count(saved->editorjs_json)},
                                            {"slides", slide_count(saved->editorjs_json)},
                                            {"updated", update},
                                            {"slides_id", saved->id}});
  }

 private:
  SlideDeck created(const std::string& title, const std::string& topic,
                    const ToolContext& context) {
    auto draft = write_deck(title, topic, material_for(topic, context));
    SlideDeck deck;
    deck.conversation_id = context.conversation_id;
    deck.title = draft.title;
    deck.summary = draft.summary;
    deck.topic = topic;
    deck.editorjs_json = editorjs_document(draft.blocks, ports_.clock_ms());
    return deck;
  }

  SlideDeck changed(SlideDeck deck, const DeckEdit& edit, const ToolContext& context) {
    const std::int64_t now = ports_.clock_ms();
    std::string topic = !deck.topic.empty() ? deck.topic : deck.title;
    switch (edit.kind) {
      case DeckEditKind::AddSlide: {
        std::string subject = !edit.subject.empty() ? edit.subject : topic;
        deck.editorjs_json = append_blocks(
            deck.editorjs_json, write_slide(subject, material_for(subject, context)), now);
        recount(deck, now);
        break;
      }
      case DeckEditKind::Retitle:
        if (edit.subject.empty()) throw ToolError("say what the new title should be");
        deck.title = edit.subject;
        deck.editorjs_json = retitle(deck.editorjs_json, deck.title, now);
        break;
      case DeckEditKind::RemoveLastSlide: {
        auto shorter = remove_last_slide(deck.editorjs_json, now);
        if (!shorter) throw ToolError("the deck has no slide to remove");
        deck.editorjs_json = std::move(*shorter);
        recount(deck, now);
        break;
      }
      case DeckEditKind::Rewrite:
      case DeckEditKind::None: {
        // Written again from the material as it is now, under the same title.
        auto draft = write_deck(deck.title, topic, material_for(topic, context));
        deck.summary = draft.summary;
        deck.editorjs_json = editorjs_document(draft.blocks, now);
        break;
      }
    }
    return deck;
  }

  // The summary with the deck's new slide count, in the document too (the paragraph under
  // the title, when it still reads as the old summary).
  static void recount(SlideDeck& deck, std::int64_t now) {
    std::string subject = !deck.topic.empty() ? deck.topic : deck.title;
    std::string summary =
        std::to_string(slide_count(deck.editorjs_json)) + " slides on " + subject + ".";
    deck.editorjs_json = replace_paragraph(deck.editorjs_json, deck.summary, summary, now);
    deck.summary = std::move(summary);
  }

  DeckMaterial material_for(const std::string& subject, const ToolContext& context) {
    DeckMaterial material;
    if (ports_.knowledge) {
      KnowledgeSearch search;
      search.query = subject;
      search.limit = kPassages;
      for (const auto& hit : ports_.knowledge->search(context.user_id, search)) {
        if (hit.similarity && *hit.similarity < kMinSimilarity) continue;
        material.passages.push_back(hit.passage.text);
      }
    }
    if (ports_.memory) {
      MemorySearch search;
      search.query = subject;
      search.limit = kMemories;
      for (const auto& hit : ports_.memory->search(context.user_id, search)) {
        if (hit.similarity && *hit.similarity < kMinSimilarity) continue;
        material.memories.push_back(hit.memory.content);
      }
    }
    if (ports_.conversations) {
      for (const auto& message :
           ports_.conversations->recent(context.conversation_id, kRecentMessages))
        material.conversation.push_back(message.content);
    }
    return material;
  }

  SlidesToolPorts ports_;
  ToolSchema schema_;
};

}  // namespace

std::shared_ptr<Tool> make_slides_tool(SlidesToolPorts ports) {
  return std::make_shared<SlidesTool>(std::move(ports));
}

}  // namespace companion::core
