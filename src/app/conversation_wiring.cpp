// Wires the conversation engine: the stores (conversations, characters), the analysers
// (emotion, intent), the language models (the offline engine and any configured network
// provider), the built-in tools, the turn pipeline with its own thread pool and the
// resumable turn streams, and the chat routes of every dialect.
#include "api/agent_status_routes.hpp"
#include "api/chattr_character_routes.hpp"
#include "api/chattr_chat_routes.hpp"
#include "api/chattr_ws.hpp"
#include "api/coach_rest_routes.hpp"
#include "api/coach_ws.hpp"
#include "api/friend_chat_routes.hpp"
#include "api/friend_chat_ws.hpp"
#include "api/openai_chat_routes.hpp"
#include "api/persona_routes.hpp"
#include "api/voice_chat_routes.hpp"
#include "api/youworker_chat_routes.hpp"
#include "api/youworker_chat_ws.hpp"
#include "app/llm_setup.hpp"
#include "app/search_setup.hpp"
#include "app/state.hpp"
#include "core/affect/emotion.hpp"
#include "core/characters/character_service.hpp"
#include "core/conversation/intent_detector.hpp"
#include "core/conversation/stage_statistics.hpp"
#include "core/conversation/tools/document_tools.hpp"
#include "core/conversation/tools/memory_tools.hpp"
#include "core/conversation/tools/slides_tool.hpp"
#include "core/llm/model_router.hpp"
#include "core/periodic_task.hpp"
#include "providers/llm/offline_provider.hpp"
#include "store/sqlite/character_repository.hpp"
#include "store/sqlite/conversation_repository.hpp"
#include "store/sqlite/slides_repository.hpp"
#include "store/sqlite/turn_archive.hpp"

namespace companion::app {

namespace {

std::shared_ptr<core::ToolRegistry> built_in_tools(Companion::State& s) {
  auto tools = std::make_shared<core::ToolRegistry>();
  if (s.memory) {
    tools->add(core::make_save_memory_tool(s.memory));
    tools->add(core::make_search_memory_tool(s.memory));
    tools->add(core::make_delete_memory_tool(s.memory));
  }
  if (s.knowledge) tools->add(core::make_semantic_search_tool(s.knowledge));
  add_search_tools(*tools, s.config.search);  // web_search, search_wikipedia
  // AI Coach's slides: decks stored on the turn's session.
  core::SlidesToolPorts slides;
  slides.slides = std::make_shared<store::sqlite::SqliteSlidesRepository>(s.database);
  slides.knowledge = s.knowledge;
  slides.memory = s.memory;
  slides.conversations = std::make_shared<store::sqlite::SqliteConversationRepository>(s.database);
  tools->add(core::make_slides_tool(std::move(slides)));
  return tools;
}

core::ConversationSettings settings_from(const ConversationConfig& c, const LlmConfig& llm) {
  core::ConversationSettings settings;
  settings.history_messages = c.history_messages;
  settings.memories = c.memories_per_turn;
  settings.passages = c.passages_per_turn;
  settings.max_tool_rounds = c.max_tool_rounds;
  if (llm.openai.deadline_ms > 0)
    settings.generation_deadline = std::chrono::milliseconds(llm.openai.deadline_ms);
  if (llm.openai.first_token_timeout_ms > 0)
    settings.first_token_timeout = std::chrono::milliseconds(llm.openai.first_token_timeout_ms);
  return settings;
}

}  // namespace

void wire_conversations(Companion::State& s) {
  const auto& config = s.config.conversation;
  s.characters = std::make_shared<core::CharacterService>(
      std::make_shared<store::sqlite::SqliteCharacterRepository>(s.database));
  s.characters->seed_defaults();
  s.emotions = std::make_shared<core::EmotionAnalyzer>(s.lexicon);
  s.intents = std::make_shared<core::IntentDetector>();
  s.models =
      build_model_router(s.config.llm, std::make_shared<providers::llm::OfflineProvider>(s.lexicon),
                         s.plugins.llm_providers);
  s.stages = std::make_shared<core::StageStatistics>(
      std::vector<std::string>{"emotion", "intent", "history", "memory", "documents", "generation",
                               "tools", "persist", "facts"});
  s.turn_pool = std::make_shared<core::WorkerPool>(config.turn_threads, config.turn_queue);

  core::ConversationPorts ports;
  ports.conversations = std::make_shared<store::sqlite::SqliteConversationRepository>(s.database);
  ports.characters = s.characters;
  ports.models = s.models;
  ports.emotions = s.emotions;
  ports.intents = s.intents;
  ports.memory = s.memory;
  ports.knowledge = s.knowledge;
  ports.tools = built_in_tools(s);
  ports.events = s.events;
  ports.stages = s.stages;
  ports.helpers = std::shared_ptr<core::TaskExecutor>(s.workers.get(), [](core::TaskExecutor*) {});
  auto service = std::make_shared<core::ConversationService>(std::move(ports),
                                                             settings_from(config, s.config.llm));

  core::TurnStreamSettings stream_settings;
  stream_settings.abandon_grace = std::chrono::milliseconds(config.abandon_grace_ms);
  stream_settings.keep_finished = std::chrono::milliseconds(config.keep_finished_ms);
  s.turn_streams = std::make_shared<core::TurnStreams>(stream_settings);
  s.turns = std::make_shared<core::TurnRunner>(service, s.turn_streams, s.turn_pool);
  s.turn_sweeper = std::make_unique<core::PeriodicTask>(
      std::chrono::milliseconds(250),
      [streams = s.turn_streams] { streams->sweep(std::chrono::steady_clock::now()); });
  s.turn_sweeper->start();

  s.chat = std::make_shared<api::ChatDeps>();
  s.chat->accounts = s.accounts;
  s.chat->turns = s.turns;
  s.chat->characters = s.characters;
  s.chat->stages = s.stages;
  s.chat->models = s.models;
  s.chat->emotions = s.emotions;
  s.chat->intents = s.intents;
  s.chat->memory = s.memory;
  s.chat->knowledge = s.knowledge;

  auto& router = s.http.router();
  api::register_friend_chat_routes(router, s.chat);  // /api/chat/send|stream|history|clear
  api::register_friend_chat_ws(router, s.chat, s.config.websocket_messages_per_second);
  api::register_persona_routes(router, s.chat);       // /api/persona/get|update|reset
  api::register_agent_status_routes(router, s.chat);  // /api/agents/status|test
  api::register_openai_chat_routes(router, s.chat);   // /v1/chat/completions, /v1/models

  // Voice Assistant and YouWorker.AI chat: /api/chat, /api/chat/stream, /api/conversations,
  // the /ws "chat" message; /v1/chat/stream, /v1/chat/unified, /v1/sessions and the
  // WebSocket /chat/{session_id}. The /ws "chat" message looks up the user an admin acts for
  // on the worker pool, never on the network thread.
  s.chat->workers =
      std::shared_ptr<core::TaskExecutor>(s.workers.get(), [](core::TaskExecutor*) {});
  api::register_voice_chat_routes(router, s.chat);
  s.voice_messages["chat"] = api::voice_chat_message_handler(s.chat);
  api::register_youworker_chat_routes(router, s.chat);
  api::register_youworker_chat_ws(router, s.chat);

  // Chattr: /api/v1/chat/message, /api/v1/chat/history/{session_id}, /api/v1/characters and
  // the WebSocket /api/v1/ws/chat, whose auth message is checked on the worker pool.
  api::register_chattr_chat_routes(router, s.chat);
  api::register_chattr_character_routes(router, s.chat);
  api::register_chattr_ws(router, s.chat, s.config.websocket_messages_per_second);

  // AI Coach: the realtime /ws/chat/ and the /api/{agents,sessions,chats,slides}/ resources.
  auto coach = std::make_shared<api::CoachDeps>();
  coach->chat = s.chat;
  coach->slides = std::make_shared<store::sqlite::SqliteSlidesRepository>(s.database);
  coach->archive = std::make_shared<store::sqlite::SqliteTurnArchive>(s.database);
  coach->workers = std::shared_ptr<core::TaskExecutor>(s.workers.get(), [](core::TaskExecutor*) {});
  api::register_coach_ws_route(router, coach);
  api::register_coach_rest_routes(router, coach);
}

}  // namespace companion::app
