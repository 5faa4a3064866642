#include "core/memory/memory_service.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <unordered_map>

#include "core/memory/fact_extractor.hpp"
#include "core/memory/rank_fusion.hpp"

namespace companion::core {

namespace {

constexpr std::size_t reindex_batch = 64;

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double clamp_unit(double x) {
  return std::clamp(x, 0.0, 1.0);
}

}  // namespace

MemoryService::MemoryService(MemoryPorts ports, ContentCipher cipher, MemorySettings settings,
                             UnixClock clock)
    : ports_(std::move(ports)),
      cipher_(std::move(cipher)),
      settings_(settings),
      clock_(clock ? std::move(clock) : UnixClock(system_now)),
      cache_(settings.vector_cache_bytes),
      index_folder_(settings.index_dir) {
  recalls_ = std::make_unique<RecallRecorder>(
      [this](std::vector<RecallMark> marks) { apply_recalls(std::move(marks)); },
      settings_.pending_recalls);
  builder_ = std::make_unique<IndexBuilder>(
      [this](std::int64_t user_id, const std::atomic<bool>& stopping) {
        build_graph(user_id, stopping);
      });
}

MemoryService::~MemoryService() {
  builder_.reset();  // a build under way gives up; the next start rebuilds
  recalls_.reset();  // writes what searches noted
  try {
    persist_indexes();
  } catch (const std::exception&) {
    // A graph that cannot be saved is rebuilt from the store at the next start.
  }
}

// ---- sealing ------------------------------------------------------------------------------

StoredMemory MemoryService::seal(Memory memory) const {
  StoredMemory stored;
  stored.fingerprint = cipher_.fingerprint(normalise_fact(memory.content));
  stored.sealed = tier_info(memory.tier).encrypted;
  if (stored.sealed) memory.content = cipher_.seal(memory.content);
  stored.memory = std::move(memory);
  return stored;
}

Memory MemoryService::open(const StoredMemory& stored) const {
  Memory m = stored.memory;
  if (stored.sealed) m.content = cipher_.open(m.content).value_or(std::string());
  return m;
}

// ---- vectors ------------------------------------------------------------------------------

std::optional<std::vector<float>> MemoryService::embed(const std::string& text) {
  if (!ports_.embedder) return std::nullopt;
  try {
    auto vectors = ports_.embedder->embed({text});
    if (vectors.size() != 1) return std::nullopt;
    return std::move(vectors.front());
  } catch (const EmbeddingError&) {
    // Stored without a vector; the next load of the user's vectors embeds it again.
    return std::nullopt;
  }
}

std::vector<std::optional<std::vector<float>>> MemoryService::embed_many(
    const std::vector<std::string>& texts) {
  std::vector<std::optional<std::vector<float>>> out(texts.size());
  if (!ports_.embedder) return out;
  for (std::size_t start = 0; start < texts.size(); start += reindex_batch) {
    auto end = std::min(texts.size(), start + reindex_batch);
    std::vector<std::string> batch(texts.begin() + static_cast<std::ptrdiff_t>(start),
                                   texts.begin() + static_cast<std::ptrdiff_t>(end));
    try {
      auto vectors = ports_.embedder->embed(batch);
      for (std::size_t i = 0; i < vectors.size() && start + i < end; ++i)
        out[start + i] = std::move(vectors[i]);
    } catch (const EmbeddingError&) {
      // Stored without vectors; the next load of the user's vectors embeds them again.
    }
  }
  return out;
}

std::optional<StoredVector> MemoryService::stored_vector(
    const Memory& memory, const std::optional<std::vector<float>>& values) {
  if (!values || !ports_.embedder) return std::nullopt;
  StoredVector v;
  v.row_id = memory.row_id;
  v.tier = memory.tier;
  v.category = memory.category;
  v.space_id = ports_.embedder->model().space_id();
  v.values = *values;
  return v;
}

std::shared_ptr<const UserIndex> MemoryService::index_for(std::int64_t user_id) {
  if (!ports_.embedder) return nullptr;
  auto model = ports_.embedder->model();
  auto usable = [&](const std::shared_ptr<const UserIndex>& cached) {
    return cached && cached->vectors->space_id() == model.space_id();
  };
  // Cached indexes are kept in step by every write, so a search reads them without the
  // index lock: a load or a write (with its disk sync) never holds up other users' searches.
  if (auto cached = cache_.get(user_id); usable(cached)) return cached;
  std::lock_guard lock(index_mutex_);
  if (auto cached = cache_.get(user_id); usable(cached)) return cached;
  auto index = std::make_shared<UserIndex>();
  index->vectors = load_graph(user_id, model);
  if (!index->vectors) index->vectors = load_flat(user_id, model);
  index->words = load_words(user_id);
  cache_index(user_id, index);
  if (index->vectors->wants_graph(settings_.graph_threshold)) builder_->schedule(user_id);
  return index;
}

std::shared_ptr<UserVectors> MemoryService::vectors_for(std::int64_t user_id) {
  auto index = index_for(user_id);
  return index ? index->vectors : nullptr;
}

std::shared_ptr<LexicalIndex> MemoryService::load_words(std::int64_t user_id) {
  auto words = std::make_shared<LexicalIndex>();
  for (const auto& t : ports_.repository->texts(user_id))
    words->add(t.row_id, t.tier, t.category, t.content);
  return words;
}

std::shared_ptr<UserVectors> MemoryService::load_graph(std::int64_t user_id,
                                                       const EmbeddingModel& model) {
  std::error_code ec;
  if (!index_folder_.keeps_indexes() ||
      !std::filesystem::exists(index_folder_.stamp_file(user_id), ec))
    return nullptr;
  IndexStamp stamp{model.space_id(), model.dimension, ports_.repository->vector_revision(user_id)};
  auto graph = index_folder_.load(user_id, stamp, settings_.graph);
  if (!graph) return nullptr;
  // The graph holds the rows whose vectors are of this space; the others (no vector, or
  // one of another space) are embedded now, as a load from the store would.
  std::vector<StoredVector> rows;
  std::vector<std::int64_t> stale;
  for (auto& row : ports_.repository->vector_rows(user_id)) {
    if (graph->contains(row.row_id))
      rows.push_back(std::move(row));
    else
      stale.push_back(row.row_id);
  }
  // The revision matched, so every node of the graph is one of these rows; anything else
  // means the file was not written for this store, and it is not trusted. A graph that
  // keeps more removed nodes than live ones is built afresh: searches would mostly walk
  // the dead.
  if (graph->size() != rows.size() || graph->removed() > graph->size()) return nullptr;
  auto loaded = std::make_shared<UserVectors>(stamp.space_id, std::move(graph), rows);
  reindex(user_id, stale, *loaded);
  return loaded;
}

std::shared_ptr<UserVectors> MemoryService::load_flat(std::int64_t user_id,
                                                      const EmbeddingModel& model) {
  auto space = model.space_id();
  auto loaded = std::make_shared<UserVectors>(space, model.dimension);
  std::vector<std::int64_t> stale;
  auto stored = ports_.repository->vectors(user_id);
  loaded->reserve(stored.size());
  for (auto& v : stored) {
    // Vectors of another space (a switched provider) are not comparable: embed again.
    if (v.space_id == space && v.values.size() == model.dimension)
      loaded->upsert(v.row_id, v.tier, v.category, v.values);
    else
      stale.push_back(v.row_id);
  }
  reindex(user_id, stale, *loaded);
  return loaded;
}

void MemoryService::cache_index(std::int64_t user_id, std::shared_ptr<const UserIndex> index) {
  // An evicted graph that changed is saved, so its next load reads it instead of
  // building it again.
  for (auto& [evicted_user, evicted] : cache_.put(user_id, std::move(index)))
    persist(evicted_user, *evicted->vectors);
}

void MemoryService::index_changed(std::int64_t user_id,
                                  const std::shared_ptr<const UserIndex>& index) {
  for (auto& [evicted_user, evicted] : cache_.trim()) persist(evicted_user, *evicted->vectors);
  if (index->vectors->wants_graph(settings_.graph_threshold)) builder_->schedule(user_id);
}

void MemoryService::index_memory(const UserIndex& index, const Memory& m,
                                 const std::optional<std::vector<float>>& values) {
  if (values)
    index.vectors->upsert(m.row_id, m.tier, m.category, *values);
  else
    index.vectors->remove(m.row_id);
  if (tier_info(m.tier).encrypted)
    index.words->remove(m.row_id);  // sealed content is never searched by its words
  else
    index.words->add(m.row_id, m.tier, m.category, m.content);
}

void MemoryService::unindex_memory(std::int64_t user_id, std::int64_t row_id) {
  auto index = cache_.get(user_id);
  if (!index) return;
  index->vectors->remove(row_id);
  index->words->remove(row_id);
}

void MemoryService::build_graph(std::int64_t user_id, const std::atomic<bool>& stopping) {
  std::shared_ptr<UserVectors> vectors;
  {
    std::lock_guard lock(index_mutex_);
    if (auto index = cache_.get(user_id)) vectors = index->vectors;
  }
  if (!vectors || !vectors->wants_graph(settings_.graph_threshold)) return;
  std::unique_ptr<HnswIndex> graph;
  {
    auto snapshot = vectors->begin_graph();
    graph = HnswIndex::build(vectors->dimension(), settings_.graph, snapshot.rows, snapshot.values,
                             settings_.graph_build_threads, stopping);
  }
  if (!graph) {
    vectors->abandon_graph();
    return;
  }
  std::lock_guard lock(index_mutex_);
  vectors->adopt_graph(std::move(graph));
  // Only the cached vectors follow every write; an evicted copy is not saved.
  if (cache_.holds(user_id, vectors)) persist(user_id, *vectors);
}

void MemoryService::persist(std::int64_t user_id, UserVectors& vectors) {
  if (!index_folder_.keeps_indexes() || !vectors.graph_changed()) return;
  IndexStamp stamp{vectors.space_id(), vectors.dimension(),
                   ports_.repository->vector_revision(user_id)};
  try {
    vectors.save_graph([&](const HnswIndex& graph) { index_folder_.save(user_id, graph, stamp); });
  } catch (const std::exception&) {
    // Kept in memory; without a valid file the next load builds the graph again.
  }
}

void MemoryService::persist_indexes() {
  std::lock_guard lock(index_mutex_);
  for (auto& [user_id, index] : cache_.entries()) persist(user_id, *index->vectors);
}

void MemoryService::wait_for_indexes() {
  builder_->wait_idle();
}

void MemoryService::flush_recalls() {
  recalls_->flush();
}

bool MemoryService::uses_graph(std::int64_t user_id) {
  auto index = cache_.get(user_id);
  return index && index->vectors->has_graph();
}

void MemoryService::reindex(std::int64_t user_id, const std::vector<std::int64_t>& row_ids,
                            UserVectors& into) {
  for (std::size_t start = 0; start < row_ids.size(); start += reindex_batch) {
    std::vector<std::int64_t> batch(row_ids.begin() + static_cast<std::ptrdiff_t>(start),
                                    row_ids.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                          row_ids.size(), start + reindex_batch)));
    auto rows = ports_.repository->rows(user_id, batch);
    std::vector<std::string> texts;
    std::vector<Memory> memories;
    for (auto& row : rows) {
      memories.push_back(open(row));
      texts.push_back(memories.back().content);
    }
    std::vector<std::vector<float>> vectors;
    try {
      vectors = ports_.embedder->embed(texts);
    } catch (const EmbeddingError&) {
      return;  // left without vectors; the next load tries again
    }
    for (std::size_t i = 0; i < memories.size() && i < vectors.size(); ++i) {
      auto v = stored_vector(memories[i], vectors[i]);
      ports_.repository->put_vector(user_id, *v);
      into.upsert(v->row_id, v->tier, v->category, v->values);
    }
  }
}

// ---- saving -------------------------------------------------------------------------------

Memory MemoryService::save(const NewMemory& memory) {
  if (ports_.corpus) ports_.corpus->observe_documents({memory.content});
  return store(memory, embed(memory.content));
}

std::vector<Memory> MemoryService::save_many(const std::vector<NewMemory>& memories) {
  std::vector<std::string> texts;
  texts.reserve(memories.size());
  for (const auto& m : memories) texts.push_back(m.content);
  if (ports_.corpus) ports_.corpus->observe_documents(texts);
  auto values = embed_many(texts);
  std::vector<Memory> out;
  std::vector<NewStoredMemory> rows;
  out.reserve(memories.size());
  rows.reserve(memories.size());
  for (std::size_t i = 0; i < memories.size(); ++i) {
    out.push_back(new_memory(memories[i]));
    rows.push_back({seal(out.back()), stored_vector(out.back(), values[i])});
  }
  std::lock_guard lock(index_mutex_);
  auto stored = ports_.repository->insert_many(std::move(rows));
  std::map<std::int64_t, std::shared_ptr<const UserIndex>> touched;
  for (std::size_t i = 0; i < out.size() && i < stored.size(); ++i) {
    auto& m = out[i];
    m.row_id = stored[i].memory.row_id;
    auto [it, first] = touched.try_emplace(m.user_id, nullptr);
    if (first) it->second = cache_.get(m.user_id);
    if (it->second) index_memory(*it->second, m, values[i]);
  }
  for (auto& [user_id, index] : touched)
    if (index) index_changed(user_id, index);
  return out;
}

Memory MemoryService::new_memory(const NewMemory& in) const {
  Memory m;
  m.id = make_memory_id();
  m.user_id = in.user_id;
  m.content = in.content;
  m.category = in.category;
  m.importance = clamp_unit(in.importance);
  m.tags = in.tags;
  m.tier = in.tier.value_or(assign_tier(m.importance, m.category));
  m.source = in.source;
  m.session_id = in.session_id;
  m.slot = in.slot;
  m.created_at = m.last_accessed_at = now();
  m.expires_at = tier_expiry(m.tier, m.created_at);
  return m;
}

Memory MemoryService::store(const NewMemory& in, std::optional<std::vector<float>> values) {
  Memory m = new_memory(in);
  std::lock_guard lock(index_mutex_);
  auto stored = ports_.repository->insert(seal(m), stored_vector(m, values));
  m.row_id = stored.memory.row_id;
  if (auto cached = cache_.get(m.user_id)) {
    index_memory(*cached, m, values);
    index_changed(m.user_id, cached);
  }
  return m;
}

Memory MemoryService::update_slot(StoredMemory existing, const NewMemory& fact,
                                  std::optional<std::vector<float>> values) {
  Memory m = open(existing);
  m.content = fact.content;
  m.category = fact.category;
  m.importance = clamp_unit(fact.importance);
  m.tier = fact.tier.value_or(assign_tier(m.importance, m.category));
  m.session_id = fact.session_id;
  m.last_accessed_at = now();
  m.expires_at = tier_expiry(m.tier, m.last_accessed_at);
  std::lock_guard lock(index_mutex_);
  auto vector = stored_vector(m, values);
  ports_.repository->update(seal(m), vector);
  if (auto cached = cache_.get(m.user_id)) index_memory(*cached, m, values);
  return m;
}

// ---- search -------------------------------------------------------------------------------

std::vector<MemoryHit> MemoryService::search(std::int64_t user_id, const MemorySearch& search) {
  std::vector<MemoryHit> hits;
  if (search.limit == 0) return hits;
  std::size_t candidates = std::max(settings_.candidates, search.limit);
  auto query_vector = embed(search.query);
  auto index = query_vector ? index_for(user_id) : nullptr;
  auto vectors = index ? index->vectors : nullptr;

  // Without an embedder nothing of the user is kept in memory: the store's full-text
  // index answers.
  std::vector<std::int64_t> lexical;
  auto words =
      index ? index->words->search(search.query, search.filter, candidates)
            : ports_.repository->lexical_search(user_id, search.query, search.filter, candidates);
  for (const auto& hit : words) lexical.push_back(hit.row_id);

  std::vector<std::int64_t> semantic;
  std::unordered_map<std::int64_t, double> similarity;
  if (vectors) {
    for (auto& match : vectors->nearest(*query_vector, search.filter, candidates)) {
      // A vector orthogonal to the query shares no meaning with it; it is not a candidate.
      if (match.similarity <= 0) continue;
      semantic.push_back(match.row_id);
      similarity[match.row_id] = match.similarity;
    }
  }

  auto fused = reciprocal_rank_fusion({lexical, semantic});
  if (fused.size() > search.limit) fused.resize(search.limit);
  std::vector<std::int64_t> ids;
  for (auto& f : fused) ids.push_back(f.id);
  std::unordered_map<std::int64_t, StoredMemory> rows;
  for (auto& row : ports_.repository->rows(user_id, ids)) rows.emplace(row.memory.row_id, row);
  for (auto& f : fused) {
    auto row = rows.find(f.id);
    if (row == rows.end()) continue;  // deleted meanwhile
    MemoryHit hit;
    hit.memory = open(row->second);
    hit.score = f.score;
    if (auto s = similarity.find(f.id); s != similarity.end())
      hit.similarity = clamp_unit(s->second);
    else if (vectors)
      if (auto s2 = vectors->similarity(*query_vector, f.id)) hit.similarity = clamp_unit(*s2);
    hits.push_back(std::move(hit));
  }
  note_recall(user_id, hits);
  return hits;
}

void MemoryService::note_recall(std::int64_t user_id, std::vector<MemoryHit>& hits) {
  if (hits.empty()) return;
  auto t = now();
  std::vector<std::int64_t> ids;
  ids.reserve(hits.size());
  for (auto& h : hits) {
    ids.push_back(h.memory.row_id);
    // The hit shows the memory as this recall leaves it; the store catches up shortly.
    auto& m = h.memory;
    ++m.access_count;
    m.last_accessed_at = t;
    if (m.access_count % settings_.recalls_per_promotion != 0) continue;
    if (auto up = promoted_tier(m.tier)) {
      m.tier = *up;
      m.expires_at = tier_expiry(*up, t);
    }
  }
  recalls_->record(user_id, ids, t);
}

void MemoryService::apply_recalls(std::vector<RecallMark> marks) {
  auto recalled = ports_.repository->record_recalls(marks);
  std::map<std::pair<std::int64_t, std::int64_t>, const RecallMark*> mark_of;
  for (const auto& mark : marks) mark_of[{mark.user_id, mark.row_id}] = &mark;
  std::vector<TierChange> changes;
  for (const auto& row : recalled) {
    const auto& mark = *mark_of.at({row.user_id, row.row_id});
    // Recalled often enough: the memory has shown it matters, so it is kept longer. One
    // step up for every multiple of recalls_per_promotion the count went past.
    auto per = settings_.recalls_per_promotion;
    auto steps = row.access_count / per - (row.access_count - mark.times) / per;
    auto tier = row.tier;
    for (; steps > 0; --steps) {
      auto up = promoted_tier(tier);
      if (!up) break;
      tier = *up;
    }
    if (tier != row.tier)
      changes.push_back({row.user_id, row.row_id, tier, tier_expiry(tier, mark.at)});
  }
  if (changes.empty()) return;
  std::lock_guard lock(index_mutex_);
  ports_.repository->change_tiers(changes);
  for (const auto& change : changes) {
    auto index = cache_.get(change.user_id);
    if (!index) continue;
    index->vectors->set_tier(change.row_id, change.tier);
    index->words->set_tier(change.row_id, change.tier);
  }
}

// ---- removal, listing, stats, expiry -------------------------------------------------------

bool MemoryService::remove(std::int64_t user_id, std::string_view memory_id) {
  auto found = ports_.repository->find(user_id, memory_id);
  return found && remove_row(user_id, found->memory.row_id);
}

bool MemoryService::remove_row(std::int64_t user_id, std::int64_t row_id) {
  std::lock_guard lock(index_mutex_);
  if (!ports_.repository->remove(user_id, row_id)) return false;
  unindex_memory(user_id, row_id);
  return true;
}

std::vector<Memory> MemoryService::list(std::int64_t user_id, const MemoryFilter& filter,
                                        std::size_t limit) {
  recalls_->flush();
  std::vector<Memory> out;
  for (auto& row : ports_.repository->list(user_id, filter, limit)) out.push_back(open(row));
  return out;
}

MemoryStats MemoryService::stats(std::int64_t user_id) {
  recalls_->flush();
  MemoryStats s;
  s.counts = ports_.repository->counts(user_id);
  std::lock_guard lock(expired_mutex_);
  if (auto it = expired_by_user_.find(user_id); it != expired_by_user_.end())
    s.expired = it->second;
  return s;
}

std::size_t MemoryService::expire(std::int64_t at) {
  recalls_->flush();  // a pending promotion may keep a memory longer
  std::vector<ExpiredMemory> expired;
  {
    std::lock_guard lock(index_mutex_);
    expired = ports_.repository->delete_expired(at);
    for (auto& e : expired) unindex_memory(e.user_id, e.row_id);
  }
  std::lock_guard lock(expired_mutex_);
  for (auto& e : expired) ++expired_by_user_[e.user_id];
  return expired.size();
}

// ---- facts from messages ------------------------------------------------------------------

std::vector<RememberedFact> MemoryService::remember_from_message(const MemoryOwner& owner,
                                                                 std::string_view session_id,
                                                                 std::string_view text) {
  std::vector<RememberedFact> out;
  for (auto& fact : extract_facts(text)) {
    NewMemory m;
    m.user_id = owner.id;
    m.content = fact.content;
    m.category = fact.category;
    m.importance = fact.importance;
    m.source = MemorySource::Extracted;
    m.session_id = std::string(session_id);
    m.slot = fact.slot;
    auto fingerprint = cipher_.fingerprint(normalise_fact(fact.content));
    if (auto same = ports_.repository->find_fingerprint(owner.id, fingerprint)) {
      out.push_back({open(*same), RememberAction::Merged});
      continue;
    }
    if (ports_.corpus) ports_.corpus->observe_documents({fact.content});
    auto values = embed(fact.content);
    if (!fact.slot.empty()) {
      if (auto previous = ports_.repository->find_slot(owner.id, fact.slot)) {
        // A new statement in a single-valued slot contradicts the old one: the user moved
        // or changed jobs, so the old fact is replaced rather than kept beside the new one.
        out.push_back({update_slot(std::move(*previous), m, values), RememberAction::Updated});
        publish_stored(owner, session_id, out.back().memory);
        continue;
      }
    }
    if (values) {
      if (auto vectors = vectors_for(owner.id)) {
        auto nearest = vectors->nearest(*values, {}, 1);
        if (!nearest.empty() && nearest.front().similarity >= settings_.duplicate_similarity) {
          auto rows = ports_.repository->rows(owner.id, {nearest.front().row_id});
          if (!rows.empty()) {
            out.push_back({open(rows.front()), RememberAction::Merged});
            continue;
          }
        }
      }
    }
    out.push_back({store(m, values), RememberAction::Stored});
    publish_stored(owner, session_id, out.back().memory);
  }
  return out;
}

void MemoryService::publish_stored(const MemoryOwner& owner, std::string_view session_id,
                                   const Memory& m) {
  if (!ports_.events) return;
  NewEvent e;
  e.type = EventType::MemoryStored;
  e.user_id = owner.username;
  e.session_id = std::string(session_id);
  e.data = boost::json::object{{"fact_content", m.content}, {"category", m.category}};
  ports_.events->publish(std::move(e));
}

}  // namespace companion::core
