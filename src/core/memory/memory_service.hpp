#pragma once
// Long-term memory: saving (with tier assignment and encryption of the personal tier),
// hybrid search (BM25 fused with vector similarity by reciprocal rank fusion), recall
// bookkeeping and promotion, expiry, statistics, and remembering facts from chat messages.
// Blocking throughout: call it from the worker pool.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedding/corpus_observer.hpp"
#include "core/embedding/embedder.hpp"
#include "core/events/event_bus.hpp"
#include "core/memory/content_cipher.hpp"
#include "core/memory/memory.hpp"
#include "core/memory/memory_repository.hpp"
#include "core/memory/vector_cache.hpp"

namespace companion::core {

struct MemorySettings {
  // Bound of the in-memory vector cache over all users.
  std::size_t vector_cache_bytes = 256u << 20;
  // A memory moves up a tier each time it has been recalled this many more times.
  std::int64_t recalls_per_promotion = 3;
  // How many candidates each ranking (BM25, vectors) hands to the fusion.
  std::size_t candidates = 50;
  // An extracted fact this similar to one the user already has is the same fact.
  double duplicate_similarity = 0.95;
};

struct MemoryPorts {
  std::shared_ptr<MemoryRepository> repository;
  std::shared_ptr<Embedder> embedder;  // null: lexical search only
  std::shared_ptr<EventBus> events;    // null: no MEMORY_STORED events
  // Told about every stored memory's text when the embedder weighs words by corpus
  // statistics; null otherwise.
  std::shared_ptr<CorpusObserver> corpus;
};

struct MemoryOwner {
  std::int64_t id = 0;   // internal user id
  std::string username;  // the public user id events are addressed to
};

struct NewMemory {
  std::int64_t user_id = 0;
  std::string content;
  std::string category = "general";
  double importance = 0.5;
  std::vector<std::string> tags;
  std::optional<MemoryTier> tier;  // none: assigned from importance and category
  MemorySource source = MemorySource::Manual;
  std::string session_id;
  std::string slot;
};

struct MemorySearch {
  std::string query;
  std::size_t limit = 10;
  MemoryFilter filter;
};

struct MemoryHit {
  Memory memory;
  std::optional<double> similarity;  // cosine with the query in [0, 1]; none without vectors
  double score = 0;                  // fused reciprocal-rank score
};

struct MemoryStats {
  MemoryCounts counts;
  std::int64_t expired = 0;  // the user's memories the expiry job deleted since start
};

enum class RememberAction { Stored, Updated, Merged };

struct RememberedFact {
  Memory memory;
  RememberAction action = RememberAction::Stored;
};

class MemoryService {
 public:
  using UnixClock = std::function<std::int64_t()>;
  MemoryService(MemoryPorts ports, ContentCipher cipher, MemorySettings settings = {},
                UnixClock clock = {});

  Memory save(const NewMemory& memory);
  std::vector<MemoryHit> search(std::int64_t user_id, const MemorySearch& search);
  // False when the user has no such memory (another user's counts as none).
  bool remove(std::int64_t user_id, std::string_view memory_id);
  bool remove_row(std::int64_t user_id, std::int64_t row_id);
  std::vector<Memory> list(std::int64_t user_id, const MemoryFilter& filter, std::size_t limit);
  MemoryStats stats(std::int64_t user_id);

  // Deletes what expired at `now`; returns how many.
  std::size_t expire(std::int64_t now);
  std::int64_t now() const { return clock_(); }

  // Facts the message states about the user, stored, merged into an equal fact or updating
  // the fact in the same slot; publishes MEMORY_STORED for what was stored or updated.
  std::vector<RememberedFact> remember_from_message(const MemoryOwner& owner,
                                                    std::string_view session_id,
                                                    std::string_view text);

 private:
  Memory store(const NewMemory& memory, std::optional<std::vector<float>> vector);
  Memory update_slot(StoredMemory existing, const NewMemory& fact,
                     std::optional<std::vector<float>> vector);
  StoredMemory seal(Memory memory) const;
  Memory open(const StoredMemory& stored) const;
  std::optional<std::vector<float>> embed(const std::string& text);
  std::optional<StoredVector> stored_vector(const Memory& memory,
                                            const std::optional<std::vector<float>>& values);
  std::shared_ptr<UserVectors> vectors_for(std::int64_t user_id);
  void reindex(std::int64_t user_id, const std::vector<std::int64_t>& row_ids, UserVectors& into);
  void note_recall(std::int64_t user_id, std::vector<MemoryHit>& hits);
  void publish_stored(const MemoryOwner& owner, std::string_view session_id, const Memory& m);

  MemoryPorts ports_;
  ContentCipher cipher_;
  MemorySettings settings_;
  UnixClock clock_;
  VectorCache cache_;
  // Held while a user's vectors are loaded into the cache and while a write changes them,
  // so that a load never puts a snapshot older than a write into the cache.
  std::mutex index_mutex_;
  std::mutex expired_mutex_;
  std::map<std::int64_t, std::int64_t> expired_by_user_;
};

}  // namespace companion::core
