#pragma once
// The retention tiers as AI Friend's /api/memory/tiers documents them. The same table feeds
// that endpoint, expiry and tier assignment, so what the API promises is what the code does.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace companion::core {

enum class MemoryTier { Session, SubTemporary, Temporary, Permanent, Personal };

struct TierInfo {
  MemoryTier tier;
  std::string_view name;
  int retention_days;  // -1: kept until deleted
  std::string_view description;
  bool auto_cleanup;
  bool encrypted;
};

inline constexpr std::array<TierInfo, 5> memory_tiers = {{
    {MemoryTier::Session, "session", 2, "Recent conversation context", true, false},
    {MemoryTier::SubTemporary, "sub_temporary", 10, "Recent important information", true, false},
    {MemoryTier::Temporary, "temporary", 30, "Medium-term memories", true, false},
    {MemoryTier::Permanent, "permanent", -1, "Very important, never deleted", false, false},
    {MemoryTier::Personal, "personal", -1, "Personal information, encrypted", false, true},
}};

const TierInfo& tier_info(MemoryTier tier);
std::string_view tier_name(MemoryTier tier);
std::optional<MemoryTier> parse_tier(std::string_view name);

// When a memory of this tier created (or promoted) at `now` expires; none for tiers kept
// until deleted.
std::optional<std::int64_t> tier_expiry(MemoryTier tier, std::int64_t now);

// The tier for a memory whose client did not name one:
//   importance >= 0.9                     → permanent (AI Friend's own example: a birthday
//                                            saved with importance 0.95 answers "permanent")
//   a personal category (personal, personal_info, personal_information, health, family)
//                                          → personal (encrypted, kept until deleted)
//   importance >= 0.7                     → temporary
//   importance >= 0.4                     → sub_temporary
//   otherwise                             → session
MemoryTier assign_tier(double importance, std::string_view category);

// The next tier up for a memory that keeps being recalled: session → sub_temporary →
// temporary → permanent. Permanent and personal stay where they are.
std::optional<MemoryTier> promoted_tier(MemoryTier tier);

}  // namespace companion::core
