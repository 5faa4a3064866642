#pragma once
// Long-term memory: saving (with tier assignment and encryption of the personal tier),
// hybrid search (BM25 fused with vector similarity by reciprocal rank fusion), recall
// bookkeeping and promotion, expiry, statistics, and remembering facts from chat messages.
// Blocking throughout: call it from the worker pool.
//
// Vector search per user is an exact scan up to `graph_threshold` vectors and an HNSW
// graph above it, built in the background and kept in `index_dir` between runs. Recall
// bookkeeping is written in the background too (see recall_recorder.hpp); reads of counts
// and tiers (list, stats) first wait for what their own earlier searches noted.
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
#include "core/memory/hnsw_index.hpp"
#include "core/memory/index_builder.hpp"
#include "core/memory/index_cache.hpp"
#include "core/memory/index_folder.hpp"
#include "core/memory/memory.hpp"
#include "core/memory/memory_repository.hpp"
#include "core/memory/recall_recorder.hpp"

namespace companion::core {

struct MemorySettings {
  // Bound of the in-memory search indexes (vectors, graphs, word indexes) over all users.
  std::size_t vector_cache_bytes = 256u << 20;
  // A memory moves up a tier each time it has been recalled this many more times.
  std::int64_t recalls_per_promotion = 3;
  // How many candidates each ranking (BM25, vectors) hands to the fusion.
  std::size_t candidates = 50;
  // An extracted fact this similar to one the user already has is the same fact.
  double duplicate_similarity = 0.95;
  // A user with at least this many vectors is searched through an HNSW graph; fewer are
  // scanned exactly (which at 20k vectors still answers in about a millisecond).
  std::size_t graph_threshold = 20000;
  HnswParams graph;
  std::size_t graph_build_threads = 1;  // more builds faster but takes cores from searches
  // Where graphs are kept between runs; empty: rebuilt after every start.
  std::string index_dir;
  // Distinct memories whose recall bookkeeping may wait to be written.
  std::size_t pending_recalls = 10000;
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

  // Stops the background work and saves graphs that changed since they were last saved.
  ~MemoryService();
  MemoryService(const MemoryService&) = delete;
  MemoryService& operator=(const MemoryService&) = delete;

  Memory save(const NewMemory& memory);
  // Saves many memories at once (an import): embedded in batches, stored in one
  // transaction. Returns them in order.
  std::vector<Memory> save_many(const std::vector<NewMemory>& memories);
  std::vector<MemoryHit> search(std::int64_t user_id, const MemorySearch& search);
  // False when the user has no such memory (another user's counts as none).
  bool remove(std::int64_t user_id, std::string_view memory_id);
  bool remove_row(std::int64_t user_id, std::int64_t row_id);
  std::vector<Memory> list(std::int64_t user_id, const MemoryFilter& filter, std::size_t limit);
  MemoryStats stats(std::int64_t user_id);

  // Deletes what expired at `now`; returns how many.
  std::size_t expire(std::int64_t now);
  std::int64_t now() const { return clock_(); }

  // Returns once the recall bookkeeping of earlier searches is written.
  void flush_recalls();
  // Returns once no graph is being built or waiting to be.
  void wait_for_indexes();
  // Saves the graphs that changed since they were last saved (also done at destruction).
  void persist_indexes();
  // Whether the user's vectors are currently searched through a graph (false when they
  // are not loaded).
  bool uses_graph(std::int64_t user_id);

  // Facts the message states about the user, stored, merged into an equal fact or updating
  // the fact in the same slot; publishes MEMORY_STORED for what was stored or updated.
  std::vector<RememberedFact> remember_from_message(const MemoryOwner& owner,
                                                    std::string_view session_id,
                                                    std::string_view text);

 private:
  Memory new_memory(const NewMemory& in) const;
  Memory store(const NewMemory& memory, std::optional<std::vector<float>> vector);
  Memory update_slot(StoredMemory existing, const NewMemory& fact,
                     std::optional<std::vector<float>> vector);
  StoredMemory seal(Memory memory) const;
  Memory open(const StoredMemory& stored) const;
  std::optional<std::vector<float>> embed(const std::string& text);
  std::optional<StoredVector> stored_vector(const Memory& memory,
                                            const std::optional<std::vector<float>>& values);
  std::vector<std::optional<std::vector<float>>> embed_many(const std::vector<std::string>& texts);
  // The user's cached search index, loaded when missing; null without an embedder.
  std::shared_ptr<const UserIndex> index_for(std::int64_t user_id);
  std::shared_ptr<UserVectors> vectors_for(std::int64_t user_id);
  std::shared_ptr<UserVectors> load_graph(std::int64_t user_id, const EmbeddingModel& model);
  std::shared_ptr<UserVectors> load_flat(std::int64_t user_id, const EmbeddingModel& model);
  std::shared_ptr<LexicalIndex> load_words(std::int64_t user_id);
  void reindex(std::int64_t user_id, const std::vector<std::int64_t>& row_ids, UserVectors& into);
  // The rest run with index_mutex_ held.
  void cache_index(std::int64_t user_id, std::shared_ptr<const UserIndex> index);
  // After a cached index grew: bounds the cache, schedules a graph when it is due.
  void index_changed(std::int64_t user_id, const std::shared_ptr<const UserIndex>& index);
  void index_memory(const UserIndex& index, const Memory& m,
                    const std::optional<std::vector<float>>& values);
  void unindex_memory(std::int64_t user_id, std::int64_t row_id);
  void persist(std::int64_t user_id, UserVectors& vectors);
  void build_graph(std::int64_t user_id, const std::atomic<bool>& stopping);
  void note_recall(std::int64_t user_id, std::vector<MemoryHit>& hits);
  void apply_recalls(std::vector<RecallMark> marks);
  void publish_stored(const MemoryOwner& owner, std::string_view session_id, const Memory& m);

  MemoryPorts ports_;
  ContentCipher cipher_;
  MemorySettings settings_;
  UnixClock clock_;
  IndexCache cache_;
  IndexFolder index_folder_;
  // Held while a user's vectors are loaded into the cache and while a write changes them,
  // so that a load never puts a snapshot older than a write into the cache, and a graph
  // saved under it matches the store's revision read under it.
  std::mutex index_mutex_;
  std::mutex expired_mutex_;
  std::map<std::int64_t, std::int64_t> expired_by_user_;
  // Last: their threads use everything above, so they stop first.
  std::unique_ptr<RecallRecorder> recalls_;
  std::unique_ptr<IndexBuilder> builder_;
};

}  // namespace companion::core
