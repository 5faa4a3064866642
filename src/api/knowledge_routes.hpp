#pragma once
// Document knowledge (RAG) over HTTP: Voice Assistant's /api/rag/upload and /api/rag/stats,
// YouWorker's /v1/ingestion/{upload,url,text} and /v1/analytics/ingestion, and the
// document list, delete and search under /v1/documents.
#include <memory>

#include "core/accounts/account_service.hpp"
#include "core/knowledge/knowledge_service.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_knowledge_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts,
                               std::shared_ptr<core::KnowledgeService> knowledge);

}  // namespace companion::api
