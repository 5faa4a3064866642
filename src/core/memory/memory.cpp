#include "core/memory/memory.hpp"

#include <sodium.h>

namespace companion::core {

std::string_view memory_source_name(MemorySource source) {
  switch (source) {
    case MemorySource::Extracted:
      return "extracted";
    case MemorySource::Tool:
      return "tool";
    default:
      return "manual";
  }
}

MemorySource parse_memory_source(std::string_view name) {
  if (name == "extracted") return MemorySource::Extracted;
  if (name == "tool") return MemorySource::Tool;
  return MemorySource::Manual;
}

std::string make_memory_id() {
  unsigned char bytes[8];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string("mem-") + hex;
}

}  // namespace companion::core
