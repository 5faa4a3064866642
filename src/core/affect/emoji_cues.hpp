#pragma once
// Emoji and ASCII emoticons as cues: what each says about the feelings ("😢" sadness, "<3"
// love, "🎉" excitement), which code points are emoji at all (so they separate words), and
// which only modify the emoji before them (skin tones, the emoji presentation selector, the
// zero-width joiner of combined emoji).
#include <cstddef>
#include <span>
#include <string_view>

#include "core/affect/feeling.hpp"

namespace companion::core {

// Emoji (text is the UTF-8 of one code point, without a variation selector) and emoticons.
std::span<const CueSpec> emoji_cue_specs();

bool is_emoji(char32_t code_point);

// Code points that only shape the emoji they follow; they carry nothing of their own.
bool is_emoji_modifier(char32_t code_point);

// The length of the emoticon starting at text[pos] (":)", ">:(", "<3", "xD"), or 0. An
// emoticon stands on its own: "https://" holds no ":/" and "xDrive" no "xD". Repeated closing
// brackets belong to it (":)))").
std::size_t emoticon_length_at(std::string_view text, std::size_t pos);

}  // namespace companion::core
