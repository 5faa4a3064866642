#pragma once
// The arithmetic of vector search: dot products of float vectors and of their int8
// quantisations. Each kernel is compiled for several instruction sets (AVX-512, AVX2,
// baseline x86-64) and the best one the processor has is picked when the program loads,
// so one binary runs everywhere and is fast where it can be.
//
// Quantisation: a vector x becomes codes q = round(x · 127 / max|x|) and the scale
// max|x| / 127, so x ≈ scale · q. The dot product of two vectors is then approximately
// scale_a · scale_b · Σ qa·qb — a quarter of the bytes to read, exact enough to pick
// candidates that are then scored again on the floats.
#include <cstddef>
#include <cstdint>
#include <span>

namespace companion::core {

float dot_f32(const float* a, const float* b, std::size_t n);
std::int32_t dot_i8(const std::int8_t* a, const std::int8_t* b, std::size_t n);

// Writes values.size() codes to `codes`; returns the scale.
float quantise_i8(std::span<const float> values, std::int8_t* codes);

}  // namespace companion::core
