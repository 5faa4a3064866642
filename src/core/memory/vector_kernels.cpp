#include "core/memory/vector_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

// target_clones builds one copy per instruction set and an ifunc resolver that picks among
// them at load time (GCC and Clang on x86-64 with glibc). Elsewhere the plain loops stand.
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__)
#define COMPANION_VECTOR_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define COMPANION_VECTOR_CLONES
#endif

namespace companion::core {

namespace {

// Sixteen lanes: one AVX-512 register, two AVX2 or four SSE registers, as the clone has.
using Lanes = float __attribute__((vector_size(64)));
constexpr std::size_t lanes = sizeof(Lanes) / sizeof(float);

}  // namespace

COMPANION_VECTOR_CLONES
float dot_f32(const float* a, const float* b, std::size_t n) {
  // Two independent sums let consecutive multiply-adds overlap instead of each waiting for
  // the previous one; explicit lanes because the compiler may not reorder a float sum.
  Lanes even{}, odd{};
  std::size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    Lanes a0, b0, a1, b1;  // copied in: no alignment is assumed
    std::memcpy(&a0, a + i, sizeof a0);
    std::memcpy(&b0, b + i, sizeof b0);
    std::memcpy(&a1, a + i + lanes, sizeof a1);
    std::memcpy(&b1, b + i + lanes, sizeof b1);
    even += a0 * b0;
    odd += a1 * b1;
  }
  even += odd;
  float sum = 0;
  for (std::size_t k = 0; k < lanes; ++k) sum += even[k];
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

COMPANION_VECTOR_CLONES
std::int32_t dot_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  // Integer sums may be reordered freely, so this loop vectorises as written.
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += std::int32_t{a[i]} * std::int32_t{b[i]};
  return sum;
}

COMPANION_VECTOR_CLONES
float quantise_i8(std::span<const float> values, std::int8_t* codes) {
  float largest = 0;
  for (float x : values) largest = std::max(largest, std::fabs(x));
  if (largest == 0) {
    std::fill_n(codes, values.size(), std::int8_t{0});
    return 0;
  }
  float scale = largest / 127.0f;
  float inverse = 127.0f / largest;
  // Rounding half away from zero by hand (a library call per element would cost more than
  // the dot products the codes are for), written so that the loop vectorises.
  for (std::size_t i = 0; i < values.size(); ++i) {
    float x = values[i] * inverse;
    codes[i] = static_cast<std::int8_t>(x + std::copysign(0.5f, x));
  }
  return scale;
}

}  // namespace companion::core
