#pragma once
// YouWorker.AI's chat over HTTP: POST /v1/chat/stream (SSE token, tool and done events),
// POST /v1/chat/unified (text input), and its sessions: GET /v1/sessions, GET
// /v1/sessions/{session_id}/messages, DELETE /v1/sessions/{session_id}. A session is a
// conversation of the store; another user's answers 404 exactly like a missing one. The
// WebSocket /chat/{session_id} is in youworker_chat_ws.hpp.
#include <memory>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

// The client type YouWorker conversations are opened with.
inline constexpr std::string_view youworker_client_type = "youworker";

void register_youworker_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

// The document's ToolEvent: {tool, status: start|end|error, args, latency_ms,
// result_preview, error_message}.
boost::json::object youworker_tool_event(const core::ToolActivity& activity);

}  // namespace companion::api
