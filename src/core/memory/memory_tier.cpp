#include "core/memory/memory_tier.hpp"

#include <algorithm>
#include <string>

namespace companion::core {

namespace {

constexpr std::int64_t seconds_per_day = 86400;

bool is_personal_category(std::string_view category) {
  std::string lower(category);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "personal" || lower == "personal_info" || lower == "personal_information" ||
         lower == "health" || lower == "family";
}

}  // namespace

const TierInfo& tier_info(MemoryTier tier) {
  return memory_tiers[static_cast<std::size_t>(tier)];
}

std::string_view tier_name(MemoryTier tier) {
  return tier_info(tier).name;
}

std::optional<MemoryTier> parse_tier(std::string_view name) {
  for (const auto& info : memory_tiers)
    if (info.name == name) return info.tier;
  return std::nullopt;
}

std::optional<std::int64_t> tier_expiry(MemoryTier tier, std::int64_t now) {
  const auto& info = tier_info(tier);
  if (!info.auto_cleanup || info.retention_days < 0) return std::nullopt;
  return now + info.retention_days * seconds_per_day;
}

MemoryTier assign_tier(double importance, std::string_view category) {
  if (importance >= 0.9) return MemoryTier::Permanent;
  if (is_personal_category(category)) return MemoryTier::Personal;
  if (importance >= 0.7) return MemoryTier::Temporary;
  if (importance >= 0.4) return MemoryTier::SubTemporary;
  return MemoryTier::Session;
}

std::optional<MemoryTier> promoted_tier(MemoryTier tier) {
  switch (tier) {
    case MemoryTier::Session:
      return MemoryTier::SubTemporary;
    case MemoryTier::SubTemporary:
      return MemoryTier::Temporary;
    case MemoryTier::Temporary:
      return MemoryTier::Permanent;
    default:
      return std::nullopt;
  }
}

}  // namespace companion::core
