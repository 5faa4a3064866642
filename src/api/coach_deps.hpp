#pragma once
// What AI Coach's routes share: the chat engine, the slide decks, the record-style view of
// the conversation store, and the worker pool for store reads a socket callback needs.
#include <memory>

#include "api/chat_support.hpp"
#include "core/conversation/turn_archive.hpp"
#include "core/executor.hpp"
#include "core/slides/slides_repository.hpp"

namespace companion::api {

struct CoachDeps {
  std::shared_ptr<ChatDeps> chat;
  std::shared_ptr<core::SlidesRepository> slides;
  std::shared_ptr<core::TurnArchive> archive;
  std::shared_ptr<core::TaskExecutor> workers;  // never the network threads
};

// The one client type of AI Coach's conversations (its sessions).
inline constexpr std::string_view coach_client_type = "coach";

}  // namespace companion::api
