#pragma once
// Float vectors as SQLite BLOBs: the float32 values in host byte order, as the vector
// tables store them. A blob whose size is not a multiple of four reads as its whole floats.
#include <cstring>
#include <string>
#include <vector>

namespace companion::store::sqlite {

inline std::string vector_blob(const std::vector<float>& values) {
  std::string bytes(values.size() * sizeof(float), '\0');
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

inline std::vector<float> vector_from_blob(const std::string& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

}  // namespace companion::store::sqlite
