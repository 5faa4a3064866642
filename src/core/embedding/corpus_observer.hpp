#pragma once
// Implemented by embedders whose vectors depend on corpus statistics (the local embedder's
// document frequencies). Whoever indexes documents (memories, knowledge chunks) reports
// them here so that words common in this user's data weigh less than rare ones. Queries
// are never reported: they would skew the statistics toward what people ask.
#include <string>
#include <vector>

namespace companion::core {

class CorpusObserver {
 public:
  virtual ~CorpusObserver() = default;
  // Thread-safe; cheap enough to call on every indexed document.
  virtual void observe_documents(const std::vector<std::string>& documents) = 0;
};

}  // namespace companion::core
