#pragma once
// The OpenAI-compatible chat surface: POST /v1/chat/completions (streamed and not) and GET
// /v1/models. The model name selects a character ("friend", "assistant", …) or a model
// ("offline/companion", "openai/gpt-4o-mini"), so an OpenAI SDK talks to a companion that
// remembers: facts stated in the messages go to the user's memory, and replies draw on it.
#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_openai_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
