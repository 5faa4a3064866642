#pragma once
// One remembered thing about a user: AI Friend's "memory" and Voice Assistant's "fact" are
// two views of this entity (a string id for the one, the stable integer row id for the
// other).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/memory/memory_tier.hpp"

namespace companion::core {

enum class MemorySource { Manual, Extracted, Tool };

std::string_view memory_source_name(MemorySource source);
MemorySource parse_memory_source(std::string_view name);  // unknown names read as Manual

// "mem-" + 16 random hex digits: unguessable, so an id reveals nothing about other users.
std::string make_memory_id();

struct Memory {
  std::int64_t row_id = 0;  // stable integer id (Voice Assistant's fact id)
  std::string id;           // "mem-" + random hex (AI Friend's memory_id)
  std::int64_t user_id = 0;
  std::string content;  // plaintext once it leaves the service
  std::string category;
  double importance = 0.5;  // [0, 1]
  std::vector<std::string> tags;
  MemoryTier tier = MemoryTier::Session;
  std::optional<std::int64_t> expires_at;  // unix seconds; none for permanent tiers
  MemorySource source = MemorySource::Manual;
  std::string session_id;
  // For single-valued facts (name, location, job, birthday): a newer statement in the same
  // slot replaces the older one instead of sitting beside it. Empty otherwise.
  std::string slot;
  std::int64_t created_at = 0;
  std::int64_t last_accessed_at = 0;
  std::int64_t access_count = 0;
};

}  // namespace companion::core
