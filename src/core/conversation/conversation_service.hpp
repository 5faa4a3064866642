#pragma once
// The turn pipeline (DESIGN.md §2): resolve the conversation and character; analyse the
// message (emotion, intent) while gathering context (history, memories, documents); build
// the prompt; stream from the model through the tool loop; store the turn, remember the
// facts the user stated, publish the events. One service behind every chat dialect.
//
// run_turn blocks for the whole turn (the model streams into it): call it from a thread of
// the turn pool, never from a network thread.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/conversation/conversation_repository.hpp"
#include "core/conversation/tool_registry.hpp"
#include "core/conversation/turn.hpp"

namespace companion::core {

class CharacterService;
class SideTask;
class EmotionAnalyzer;
class EventBus;
class IntentDetector;
class KnowledgeService;
class MemoryService;
class ModelRouter;
class StageStatistics;
class TaskExecutor;
class ToolRegistry;

struct ConversationPorts {
  std::shared_ptr<ConversationRepository> conversations;
  std::shared_ptr<CharacterService> characters;
  std::shared_ptr<ModelRouter> models;
  std::shared_ptr<EmotionAnalyzer> emotions;
  std::shared_ptr<IntentDetector> intents;
  std::shared_ptr<MemoryService> memory;        // null: no memories
  std::shared_ptr<KnowledgeService> knowledge;  // null: no documents
  std::shared_ptr<ToolRegistry> tools;          // null: no tools
  std::shared_ptr<EventBus> events;             // null: no events
  std::shared_ptr<StageStatistics> stages;      // per-stage counters and timings
  // Runs independent context stages beside the turn's own thread; null runs them in turn.
  std::shared_ptr<TaskExecutor> helpers;
};

struct ConversationSettings {
  std::size_t history_messages = 20;  // at most this many stored messages in the prompt
  std::size_t history_token_budget = 3000;
  std::size_t memories = 5;            // recalled per turn
  double memory_min_similarity = 0.2;  // weaker recollections stay out of the prompt
  std::size_t passages = 3;            // document passages per turn
  int max_tool_rounds = 4;             // model → tools → model rounds per turn
  std::chrono::milliseconds generation_deadline{120'000};
  std::chrono::milliseconds first_token_timeout{60'000};
};

// Why a turn could not start (nothing was stored).
class TurnRefused : public std::runtime_error {
 public:
  enum class Reason { ConversationOfAnotherUser, UnknownCharacter, UnknownModel, EmptyMessage };
  TurnRefused(Reason reason, const std::string& message)
      : std::runtime_error(message), reason_(reason) {}
  Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

// A turn whose conversation, character and model are settled, ready to run.
class PreparedTurn {
 public:
  const std::string& turn_id() const;
  const Conversation& conversation() const;
  const Character& character() const;
  const std::string& model() const;
  const TurnRequest& request() const { return request_; }
  void set_turn_id(std::string turn_id);

 private:
  friend class ConversationService;
  struct Context;
  TurnRequest request_;
  std::shared_ptr<Context> context_;
};

class ConversationService {
 public:
  ConversationService(ConversationPorts ports, ConversationSettings settings = {});

  // Settles the conversation (created when new), the character and the model; throws
  // TurnRefused when one of them cannot be had. Nothing is stored for a refused turn.
  PreparedTurn prepare(TurnRequest request);
  // Runs a prepared turn to its end. A failure once it runs (the model failed, the client
  // cancelled) ends the turn with that status: the part streamed is stored.
  TurnResult run(PreparedTurn turn, TurnObserver& observer);
  // prepare() then run().
  TurnResult run_turn(TurnRequest request, TurnObserver& observer);

  // The conversation, created for the user when it does not exist yet. Throws TurnRefused
  // (ConversationOfAnotherUser) when someone else owns the id.
  Conversation open(std::int64_t user_id, const std::string& conversation_id,
                    const std::string& client_type, const std::string& character_id);

  ConversationRepository& store() { return *ports_.conversations; }
  const ConversationPorts& ports() const { return ports_; }
  const ConversationSettings& settings() const { return settings_; }

 private:
  using Context = PreparedTurn::Context;
  void analyse_and_gather(const TurnRequest& request, Context& context);
  std::vector<ChatMessage> prompt_for(const TurnRequest& request, const Context& context) const;
  void generate(const TurnRequest& request, Context& context, TurnObserver& observer);
  std::string run_tool(const ToolCall& call, const ToolContext& tool_context, Context& context,
                       TurnObserver& observer);
  void persist(const TurnRequest& request, Context& context);
  void record_coordination(const TurnTimings& timings);
  std::shared_ptr<SideTask> run_beside(std::function<void()> work);
  void after_turn(const TurnRequest& request, Context& context);

  ConversationPorts ports_;
  ConversationSettings settings_;
};

}  // namespace companion::core
