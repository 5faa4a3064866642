#pragma once
// A 64-bit hash whose value never changes between runs, builds or machines (std::hash
// promises none of that). Hashed features and cache keys are compared across restarts, so
// they must be stable. FNV-1a spreads bytes well but leaves the high bits weak for short
// inputs; the SplitMix64 finaliser fixes that.
#include <cstdint>
#include <string_view>

namespace companion::core {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;

constexpr std::uint64_t fnv1a_append(std::uint64_t state, std::string_view bytes) {
  for (unsigned char c : bytes) {
    state ^= c;
    state *= 0x100000001b3ull;
  }
  return state;
}

constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

constexpr std::uint64_t stable_hash(std::string_view bytes) {
  return mix64(fnv1a_append(kFnvOffset, bytes));
}

}  // namespace companion::core
