#pragma once
// POST /v1/embeddings: OpenAI's embeddings endpoint, so any OpenAI SDK or tool (vector
// databases, RAG frameworks) can use the companion's configured embedder.
#include <memory>

#include "core/embedding/embedder.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_embedding_routes(http::Router& router, std::shared_ptr<core::Embedder> embedder);

}  // namespace companion::api
