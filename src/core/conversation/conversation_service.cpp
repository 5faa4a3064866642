#include "core/conversation/conversation_service.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>

#include "core/affect/emotion.hpp"
#include "core/characters/character_service.hpp"
#include "core/conversation/intent_detector.hpp"
#include "core/conversation/prompt_builder.hpp"
#include "core/conversation/stage_statistics.hpp"
#include "core/conversation/tool_registry.hpp"
#include "core/conversation/turn_metadata.hpp"
#include "core/events/event_bus.hpp"
#include "core/executor.hpp"
#include "core/knowledge/knowledge_service.hpp"
#include "core/llm/model_router.hpp"
#include "core/memory/memory_service.hpp"

namespace companion::core {
namespace {

using SteadyClock = std::chrono::steady_clock;

double ms_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string random_hex(std::size_t digits) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digits);
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (i % 16 == 0) bits = rng();
    out += hex[bits & 0xf];
    bits >>= 4;
  }
  return out;
}

std::string preview(std::string_view text, std::size_t limit = 300) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string title_from(std::string_view text) {
  auto title = preview(text, 60);
  std::replace(title.begin(), title.end(), '\n', ' ');
  return title;
}

// Runs a stage, timing it and counting its success; a failing stage leaves its part of the
// context empty instead of failing the turn.
template <class Work>
bool timed_stage(const std::string& name, StageStatistics* stats, TurnTimings& timings,
                 Work&& work) {
  auto start = SteadyClock::now();
  bool ok = true;
  try {
    work();
  } catch (const std::exception&) {
    ok = false;
  }
  double ms = ms_since(start);
  timings.stages.push_back({name, ms, ok});
  if (stats) stats->record(name, ms, ok, unix_ms() / 1000);
  return ok;
}

}  // namespace

// Work offered to a helper thread that the offering thread takes back if no helper has
// started it by the time its result is needed.
class SideTask {
 public:
  explicit SideTask(std::function<void()> work) : work_(std::move(work)) {}
  // Runs the work unless another thread already claimed it.
  void try_run() {
    if (claimed_.exchange(true)) return;
    work_();
    std::lock_guard lock(mutex_);
    done_ = true;
    finished_.notify_all();
  }
  // Runs it here when nobody has, then waits until it is done.
  void finish() {
    try_run();
    std::unique_lock lock(mutex_);
    finished_.wait(lock, [this] { return done_; });
  }

 private:
  std::function<void()> work_;
  std::atomic<bool> claimed_{false};
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
};

std::shared_ptr<SideTask> ConversationService::run_beside(std::function<void()> work) {
  auto task = std::make_shared<SideTask>(std::move(work));
  if (ports_.helpers) ports_.helpers->try_post([task] { task->try_run(); });
  return task;
}

struct PreparedTurn::Context {
  SteadyClock::time_point started = SteadyClock::now();
  std::int64_t started_ms = unix_ms();
  std::string turn_id = "turn_" + random_hex(16);
  Conversation conversation;
  Character character;
  ResolvedModel model;
  std::vector<StoredMessage> history;
  Grounding grounding;
  std::vector<ChatMessage> prompt;
  TurnResult result;
  bool first_token_seen = false;
};

ConversationService::ConversationService(ConversationPorts ports, ConversationSettings settings)
    : ports_(std::move(ports)), settings_(settings) {}

Conversation ConversationService::open(std::int64_t user_id, const std::string& conversation_id,
                                       const std::string& client_type,
                                       const std::string& character_id) {
  auto& store = *ports_.conversations;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto existing = store.find(conversation_id)) {
      if (existing->user_id != user_id)
        throw TurnRefused(TurnRefused::Reason::ConversationOfAnotherUser,
                          "Session belongs to another user");
      return *existing;
    }
    Conversation fresh;
    fresh.id = conversation_id;
    fresh.user_id = user_id;
    fresh.client_type = client_type;
    fresh.character_id = character_id;
    fresh.created_at = fresh.last_activity = unix_ms() / 1000;
    // Another request may create the same id at the same moment; then read it back.
    if (store.create(fresh)) return fresh;
  }
  throw TurnRefused(TurnRefused::Reason::ConversationOfAnotherUser, "Session could not be opened");
}

PreparedTurn ConversationService::prepare(TurnRequest request) {
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw TurnRefused(TurnRefused::Reason::EmptyMessage, "Message must not be empty");
  PreparedTurn turn;
  turn.context_ = std::make_shared<Context>();
  auto& context = *turn.context_;
  if (!request.turn_id.empty()) context.turn_id = request.turn_id;

  std::string character_id = request.character_id;
  if (request.persist) {
    context.conversation =
        open(request.user_id, request.conversation_id, request.client_type, character_id);
    if (character_id.empty()) character_id = context.conversation.character_id;
  } else {
    context.conversation.id = request.conversation_id;
    context.conversation.user_id = request.user_id;
    context.conversation.client_type = request.client_type;
  }
  if (character_id.empty()) character_id = std::string(default_persona_id);
  auto character = ports_.characters->resolve(request.user_id, character_id);
  if (!character)
    throw TurnRefused(TurnRefused::Reason::UnknownCharacter,
                      "Character '" + character_id + "' not found");
  context.character = std::move(*character);
  try {
    std::string wanted = !request.model.empty() ? request.model : context.character.model;
    context.model = ports_.models->resolve(wanted);
  } catch (const LlmError& error) {
    throw TurnRefused(TurnRefused::Reason::UnknownModel, error.what());
  }
  if (request.persist && context.conversation.character_id != character_id) {
    ports_.conversations->set_character(context.conversation.id, character_id);
    context.conversation.character_id = character_id;
  }
  turn.request_ = std::move(request);
  return turn;
}

TurnResult ConversationService::run_turn(TurnRequest request, TurnObserver& observer) {
  return run(prepare(std::move(request)), observer);
}

TurnResult ConversationService::run(PreparedTurn turn, TurnObserver& observer) {
  const auto& request = turn.request_;
  auto& context = *turn.context_;
  auto& result = context.result;
  result.turn_id = context.turn_id;

  // Analysis and context.
  analyse_and_gather(request, context);
  context.prompt = prompt_for(request, context);
  result.timings.prepare_ms = ms_since(context.started);
  record_coordination(result.timings);

  result.conversation = context.conversation;
  result.character = context.character;
  result.model = context.model.id;
  observer.on_start({context.turn_id, context.conversation, context.character, context.model.id,
                     result.user_emotion, result.intent});

  // Generation through the tool loop.
  generate(request, context, observer);

  // Store, remember, publish. The observer hears the end whatever happens here, so that no
  // client waits forever for a turn whose storage failed.
  try {
    if (ports_.emotions) result.reply_emotion = ports_.emotions->analyze(result.reply);
    if (request.persist) persist(request, context);
    after_turn(request, context);
  } catch (const std::exception& error) {
    result.status = TurnStatus::Failed;
    result.error = std::string("the turn could not be stored: ") + error.what();
  }
  result.timings.total_ms = ms_since(context.started);
  observer.on_end(result);
  return result;
}

void ConversationService::record_coordination(const TurnTimings& timings) {
  if (!ports_.stages) return;
  // The analysis stages' times added up, against the wall time they took together: how much
  // running them side by side saved.
  double serial = 0;
  for (const auto& stage : timings.stages) serial += stage.ms;
  auto at = unix_ms() / 1000;
  ports_.stages->record("coordinator", timings.prepare_ms, true, at);
  ports_.stages->record("coordinator_serial", serial, true, at);
}

const std::string& PreparedTurn::turn_id() const {
  return context_->turn_id;
}
const Conversation& PreparedTurn::conversation() const {
  return context_->conversation;
}
const Character& PreparedTurn::character() const {
  return context_->character;
}
const std::string& PreparedTurn::model() const {
  return context_->model.id;
}
void PreparedTurn::set_turn_id(std::string turn_id) {
  context_->turn_id = turn_id;
  request_.turn_id = std::move(turn_id);
}

void ConversationService::analyse_and_gather(const TurnRequest& request, Context& context) {
  auto& result = context.result;
  auto* stats = ports_.stages.get();
  auto& timings = result.timings;

  // Memories and documents need the store and the embedder: they run beside the turn's
  // thread while it analyses the message and reads the history.
  TurnTimings memory_timing, document_timing;
  auto recall = [&] {
    if (!ports_.memory || !request.use_memories) return;
    timed_stage("memory", stats, memory_timing, [&] {
      MemorySearch search;
      search.query = request.text;
      search.limit = settings_.memories;
      for (const auto& hit : ports_.memory->search(request.user_id, search)) {
        double similarity = hit.similarity.value_or(0.0);
        if (hit.similarity && similarity < settings_.memory_min_similarity) continue;
        result.memories.push_back({hit.memory.content, hit.memory.category, similarity});
      }
    });
  };
  auto look_up = [&] {
    if (!ports_.knowledge || !request.use_documents) return;
    timed_stage("documents", stats, document_timing, [&] {
      KnowledgeSearch search;
      search.query = request.text;
      search.limit = settings_.passages;
      for (const auto& hit : ports_.knowledge->search(request.user_id, search)) {
        const auto& p = hit.passage;
        result.sources.push_back({p.text, p.document_id, p.filename, p.page, hit.score});
      }
    });
  };
  // Each runs on a helper thread if one is free, else on this thread when it gets to it: a
  // turn never waits for a queue that only it could drain.
  auto recalled = run_beside(recall);
  auto looked_up = run_beside(look_up);

  timed_stage("emotion", stats, timings, [&] {
    if (ports_.emotions) result.user_emotion = ports_.emotions->analyze(request.text);
  });
  timed_stage("intent", stats, timings, [&] {
    if (ports_.intents) result.intent = ports_.intents->detect(request.text);
  });
  if (!request.client_history && request.persist) {
    timed_stage("history", stats, timings, [&] {
      context.history =
          ports_.conversations->recent(context.conversation.id, settings_.history_messages);
    });
  }
  recalled->finish();
  looked_up->finish();
  for (auto* extra : {&memory_timing, &document_timing})
    timings.stages.insert(timings.stages.end(), extra->stages.begin(), extra->stages.end());

  auto& grounding = context.grounding;
  grounding.persona = persona_style(context.character);
  grounding.user_display_name = request.display_name;
  grounding.feeling.emotion = result.user_emotion.primary;
  grounding.feeling.confidence = result.user_emotion.confidence;
  grounding.feeling.sentiment = result.user_emotion.sentiment;
  grounding.feeling.intensity = result.user_emotion.intensity;
  grounding.memories = result.memories;
  grounding.passages = result.sources;
  grounding.local_time = request.local_time;
  if (ports_.tools && request.use_tools) grounding.tools = ports_.tools->names();
}

std::vector<ChatMessage> ConversationService::prompt_for(const TurnRequest& request,
                                                         const Context& context) const {
  PromptInput input;
  input.character = &context.character;
  input.grounding = &context.grounding;
  input.user_message = request.text;
  input.history_token_budget = settings_.history_token_budget;
  if (!request.situation.empty())
    input.extra_instructions = "About the user's situation: " + request.situation;
  if (!request.reply_language.empty()) {
    if (!input.extra_instructions.empty()) input.extra_instructions += "\n";
    input.extra_instructions += "Answer in this language: " + request.reply_language + ".";
  }
  if (request.client_history) {
    for (const auto& message : *request.client_history) {
      if (message.role == ChatRole::System) {
        if (!input.extra_instructions.empty()) input.extra_instructions += "\n";
        input.extra_instructions += message.content;
      } else {
        input.history.push_back(message);
      }
    }
  } else {
    for (const auto& stored : context.history) {
      // An interrupted reply is still what the user saw; a failed one is not.
      if (stored.status == TurnStatus::Failed && stored.role == ChatRole::Assistant) continue;
      input.history.push_back({stored.role, stored.content, {}, {}, {}});
    }
  }
  return build_prompt(input);
}

void ConversationService::generate(const TurnRequest& request, Context& context,
                                   TurnObserver& observer) {
  auto& result = context.result;
  auto run_start = SteadyClock::now();
  GenerationRequest generation;
  generation.model = context.model.model;
  generation.messages = context.prompt;
  if (ports_.tools && request.use_tools) generation.tools = ports_.tools->schemas();
  generation.temperature =
      request.temperature ? request.temperature : context.character.temperature;
  generation.max_tokens = request.max_tokens ? request.max_tokens : context.character.max_tokens;
  generation.deadline = settings_.generation_deadline;
  generation.first_token_timeout = settings_.first_token_timeout;
  generation.cancellation = request.cancellation;
  generation.grounding = &context.grounding;

  auto on_event = [&](const GenerationEvent& event) {
    if (event.kind == GenerationEvent::Kind::TextDelta && !event.text.empty()) {
      if (!context.first_token_seen) {
        context.first_token_seen = true;
        result.timings.first_token_ms = ms_since(context.started);
      }
      result.reply += event.text;
      observer.on_text(event.text);
    }
    return !request.cancellation.cancelled();
  };

  ToolContext tool_context{request.user_id, request.username, context.conversation.id,
                           context.turn_id, request.cancellation};
  auto gen_start = SteadyClock::now();
  bool ok = true;
  try {
    for (int round = 0;; ++round) {
      // The last round offers no tools, so the model has to answer in words.
      if (round == settings_.max_tool_rounds) generation.tools.clear();
      auto answer = context.model.provider->generate(generation, on_event);
      result.usage.prompt_tokens += answer.usage.prompt_tokens;
      result.usage.completion_tokens += answer.usage.completion_tokens;
      result.usage_estimated = result.usage_estimated || answer.usage_estimated;
      result.finish = answer.finish;
      if (answer.finish == FinishReason::Cancelled || request.cancellation.cancelled()) {
        result.status = TurnStatus::Interrupted;
        result.finish = FinishReason::Cancelled;
        break;
      }
      if (answer.tool_calls.empty() || !ports_.tools) break;
      generation.messages.push_back({ChatRole::Assistant, answer.text, answer.tool_calls, {}, {}});
      for (const auto& call : answer.tool_calls) {
        auto output = run_tool(call, tool_context, context, observer);
        generation.messages.push_back({ChatRole::Tool, output, {}, call.id, call.name});
      }
    }
  } catch (const LlmError& error) {
    if (error.kind() == LlmError::Kind::cancelled) {
      result.status = TurnStatus::Interrupted;
      result.finish = FinishReason::Cancelled;
    } else {
      ok = false;
      result.status = TurnStatus::Failed;
      result.finish = FinishReason::Error;
      result.error = error.what();
    }
  }
  double generation_ms = ms_since(gen_start);
  result.timings.stages.push_back({"generation", generation_ms, ok});
  if (ports_.stages) ports_.stages->record("generation", generation_ms, ok, unix_ms() / 1000);
  result.timings.run_ms = ms_since(run_start);
  if (result.usage.completion_tokens == 0 && !result.reply.empty()) {
    result.usage.completion_tokens = static_cast<std::int64_t>(estimate_tokens(result.reply));
    result.usage_estimated = true;
  }
}

std::string ConversationService::run_tool(const ToolCall& call, const ToolContext& context,
                                          Context& turn, TurnObserver& observer) {
  ToolActivity activity;
  activity.call_id = call.id;
  activity.tool = call.name;
  activity.arguments_json = call.arguments_json.empty() ? "{}" : call.arguments_json;
  observer.on_tool(activity);
  auto start = SteadyClock::now();
  std::string output;
  Tool* tool = ports_.tools->find(call.name);
  try {
    if (!tool) throw ToolError("unknown tool '" + call.name + "'");
    output = tool->invoke(context, activity.arguments_json);
    activity.phase = ToolActivity::Phase::Finished;
    activity.result_preview = preview(output);
  } catch (const std::exception& error) {
    // The model reads the failure and can tell the user; the turn goes on.
    activity.phase = ToolActivity::Phase::Failed;
    activity.error = error.what();
    output = boost::json::serialize(boost::json::object{{"error", error.what()}});
  }
  activity.latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start).count();
  double ms = static_cast<double>(activity.latency_ms);
  bool ok = activity.phase == ToolActivity::Phase::Finished;
  if (ports_.stages) ports_.stages->record("tools", ms, ok, unix_ms() / 1000);
  observer.on_tool(activity);
  turn.result.tools.push_back(activity);
  return output;
}

void ConversationService::persist(const TurnRequest& request, Context& context) {
  auto& result = context.result;
  auto start = SteadyClock::now();
  auto now_ms = unix_ms();

  TurnRecord record;
  auto& user = record.user;
  user.id = "msg_" + random_hex(16);
  user.conversation_id = context.conversation.id;
  user.user_id = request.user_id;
  user.turn_id = context.turn_id;
  user.role = ChatRole::User;
  user.content = request.text;
  user.character_id = context.character.id;
  user.created_at_ms = context.started_ms;
  user.tokens = result.usage.prompt_tokens;
  user.emotion = result.user_emotion.primary;
  user.sentiment = result.user_emotion.sentiment;
  user.intent = result.intent.name;
  user.metadata_json = emotion_metadata(result.user_emotion);

  auto& reply = record.assistant;
  reply.id = "msg_" + random_hex(16);
  reply.conversation_id = context.conversation.id;
  reply.user_id = request.user_id;
  reply.turn_id = context.turn_id;
  reply.role = ChatRole::Assistant;
  reply.content = result.reply;
  reply.character_id = context.character.id;
  reply.created_at_ms = std::max(now_ms, context.started_ms + 1);
  reply.status = result.status;
  reply.model = context.model.id;
  reply.tokens = result.usage.completion_tokens;
  reply.emotion = result.reply_emotion.primary;
  reply.sentiment = result.reply_emotion.sentiment;
  // The turn is as good as over: what is stored is the time it took up to its storage.
  result.timings.total_ms = ms_since(context.started);
  reply.metadata_json = reply_metadata(result);

  for (const auto& tool : result.tools) {
    ToolEventRecord event;
    event.turn_id = context.turn_id;
    event.conversation_id = context.conversation.id;
    event.user_id = request.user_id;
    event.tool = tool.tool;
    event.arguments_json = tool.arguments_json;
    event.ok = tool.phase == ToolActivity::Phase::Finished;
    event.error = tool.error;
    event.latency_ms = tool.latency_ms;
    event.result_preview = tool.result_preview;
    event.created_at_ms = now_ms;
    record.tool_events.push_back(std::move(event));
  }

  bool ok = true;
  try {
    ports_.conversations->append_turn(record);
    if (context.conversation.title.empty()) {
      context.conversation.title = title_from(request.text);
      ports_.conversations->set_title(context.conversation.id, context.conversation.title);
    }
    if (auto fresh = ports_.conversations->find(context.conversation.id))
      context.conversation = *fresh;
  } catch (const std::exception&) {
    ok = false;
    if (ports_.stages) ports_.stages->record("persist", ms_since(start), false, now_ms / 1000);
    throw;
  }
  if (ports_.stages) ports_.stages->record("persist", ms_since(start), ok, now_ms / 1000);
  result.timings.stages.push_back({"persist", ms_since(start), ok});
  result.conversation = context.conversation;
  result.user_message = std::move(record.user);
  result.assistant_message = std::move(record.assistant);
}

void ConversationService::after_turn(const TurnRequest& request, Context& context) {
  auto& result = context.result;
  auto* stats = ports_.stages.get();
  if (ports_.memory && request.remember_facts && request.persist) {
    timed_stage("facts", stats, result.timings, [&] {
      MemoryOwner owner{request.user_id, request.username};
      for (const auto& fact :
           ports_.memory->remember_from_message(owner, context.conversation.id, request.text)) {
        result.remembered.push_back(fact.memory.content);
      }
    });
  }
  if (ports_.events && request.persist) {
    NewEvent event;
    event.type = EventType::MessageReceived;
    event.user_id = request.username;
    event.session_id = context.conversation.id;
    event.data = {{"message", request.text},
                  {"response", result.reply},
                  {"intent", published_intent_name(result.intent.name)},
                  {"emotion", result.user_emotion.primary},
                  {"turn_id", context.turn_id},
                  {"status", std::string(turn_status_name(result.status))}};
    ports_.events->publish(std::move(event));
  }
}

}  // namespace companion::core
