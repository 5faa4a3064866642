#include "core/memory/memory_service.hpp"

#include <algorithm>
#include <chrono>
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
      cache_(settings.vector_cache_bytes) {}

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

std::shared_ptr<UserVectors> MemoryService::vectors_for(std::int64_t user_id) {
  if (!ports_.embedder) return nullptr;
  auto model = ports_.embedder->model();
  auto space = model.space_id();
  std::lock_guard lock(index_mutex_);
  if (auto cached = cache_.get(user_id); cached && cached->space_id() == space) return cached;
  auto loaded = std::make_shared<UserVectors>(space, model.dimension);
  std::vector<std::int64_t> stale;
  for (auto& v : ports_.repository->vectors(user_id)) {
    // Vectors of another space (a switched provider) are not comparable: embed again.
    if (v.space_id == space && v.values.size() == model.dimension)
      loaded->upsert(v.row_id, v.tier, v.category, v.values);
    else
      stale.push_back(v.row_id);
  }
  reindex(user_id, stale, *loaded);
  cache_.put(user_id, loaded);
  return loaded;
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

Memory MemoryService::store(const NewMemory& in, std::optional<std::vector<float>> values) {
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
  std::lock_guard lock(index_mutex_);
  auto stored = ports_.repository->insert(seal(m), stored_vector(m, values));
  m.row_id = stored.memory.row_id;
  if (auto cached = cache_.get(m.user_id); cached && values) {
    cached->upsert(m.row_id, m.tier, m.category, *values);
    cache_.trim();
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
  if (auto cached = cache_.get(m.user_id)) {
    if (values)
      cached->upsert(m.row_id, m.tier, m.category, *values);
    else
      cached->remove(m.row_id);
  }
  return m;
}

// ---- search -------------------------------------------------------------------------------

std::vector<MemoryHit> MemoryService::search(std::int64_t user_id, const MemorySearch& search) {
  std::vector<MemoryHit> hits;
  if (search.limit == 0) return hits;
  std::size_t candidates = std::max(settings_.candidates, search.limit);
  std::vector<std::int64_t> lexical;
  for (auto& hit :
       ports_.repository->lexical_search(user_id, search.query, search.filter, candidates))
    lexical.push_back(hit.row_id);

  std::vector<std::int64_t> semantic;
  std::unordered_map<std::int64_t, double> similarity;
  auto query_vector = embed(search.query);
  auto vectors = query_vector ? vectors_for(user_id) : nullptr;
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
  std::vector<std::int64_t> ids;
  for (auto& h : hits) ids.push_back(h.memory.row_id);
  auto t = now();
  std::unordered_map<std::int64_t, StoredMemory> after;
  for (auto& row : ports_.repository->record_recall(user_id, ids, t))
    after.emplace(row.memory.row_id, std::move(row));
  auto vectors = cache_.get(user_id);
  for (auto& h : hits) {
    auto row = after.find(h.memory.row_id);
    if (row == after.end()) continue;
    h.memory.access_count = row->second.memory.access_count;
    h.memory.last_accessed_at = row->second.memory.last_accessed_at;
    // Recalled often enough: the memory has shown it matters, so it is kept longer.
    if (h.memory.access_count % settings_.recalls_per_promotion != 0) continue;
    auto up = promoted_tier(h.memory.tier);
    if (!up) continue;
    h.memory.tier = *up;
    h.memory.expires_at = tier_expiry(*up, t);
    ports_.repository->change_tier(user_id, h.memory.row_id, *up, h.memory.expires_at);
    if (vectors) vectors->set_tier(h.memory.row_id, *up);
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
  if (auto cached = cache_.get(user_id)) cached->remove(row_id);
  return true;
}

std::vector<Memory> MemoryService::list(std::int64_t user_id, const MemoryFilter& filter,
                                        std::size_t limit) {
  std::vector<Memory> out;
  for (auto& row : ports_.repository->list(user_id, filter, limit)) out.push_back(open(row));
  return out;
}

MemoryStats MemoryService::stats(std::int64_t user_id) {
  MemoryStats s;
  s.counts = ports_.repository->counts(user_id);
  std::lock_guard lock(expired_mutex_);
  if (auto it = expired_by_user_.find(user_id); it != expired_by_user_.end())
    s.expired = it->second;
  return s;
}

std::size_t MemoryService::expire(std::int64_t at) {
  std::vector<ExpiredMemory> expired;
  {
    std::lock_guard lock(index_mutex_);
    expired = ports_.repository->delete_expired(at);
    for (auto& e : expired)
      if (auto cached = cache_.get(e.user_id)) cached->remove(e.row_id);
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
