#pragma once
// YouWorker.AI's WebSocket, /chat/{session_id}: a system welcome, then for each "text"
// message the reply as it is written ("text" frames with is_streaming, the final text with
// is_final), "tool" and "status" frames while the turn runs; "stop" cancels the reply being
// written (it is stored as interrupted); ping/pong. Every frame of a reply carries its event
// id, so a client that reconnects to the session while a reply is streaming, or names
// ?last_event_id= within the retention, receives what it missed and then the rest live.
// A failed authentication gets an error frame and close code 1008.
#include <memory>

#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_youworker_chat_ws(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
