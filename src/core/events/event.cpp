#include "core/events/event.hpp"

#include <random>

namespace companion::core {

std::string make_event_id() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::uint64_t bits = generator();
  std::string id = "evt_";
  for (int shift = 60; shift >= 0; shift -= 4) id.push_back(hex[(bits >> shift) & 0xF]);
  return id;
}

}  // namespace companion::core
