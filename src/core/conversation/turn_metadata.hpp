#pragma once
// What a stored message carries beyond its text, as JSON kept beside it: the emotion
// analysis of the user's message; for the reply, the timings, usage, sources, recalled
// memories and tool activity of its turn. Dialects read it back to fill their shapes.
#include <string>

#include "core/affect/emotion.hpp"
#include "core/conversation/turn.hpp"

namespace companion::core {

std::string emotion_metadata(const EmotionAnalysis& analysis);
std::string reply_metadata(const TurnResult& result);

}  // namespace companion::core
