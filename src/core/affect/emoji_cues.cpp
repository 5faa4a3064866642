#include "core/affect/emoji_cues.hpp"

#include <array>

namespace companion::core {

namespace {

using enum Feeling;

// Weights follow the word list's scale: about 1 for a face that says one feeling plainly.
// Faces that mix two (😅 laughing with a drop of sweat) carry both.
constexpr CueSpec kEmojiCues[] = {
    // joy
    {"😂", joy, 1.0, 0.6},
    {"🤣", joy, 1.0, 0.6},
    {"😊", joy, 0.9, 0.7, love, 0.1},
    {"😀", joy, 0.8, 0.6},
    {"😃", joy, 0.8, 0.6},
    {"😄", joy, 0.9, 0.7},
    {"😁", joy, 0.9, 0.7, excitement, 0.2},
    {"😆", joy, 0.9, 0.6},
    {"🙂", joy, 0.5, 0.3},
    {"☺", joy, 0.7, 0.6, love, 0.2},
    {"😌", joy, 0.7, 0.5},
    {"😅", joy, 0.5, 0.2, fear, 0.2},
    {"🥲", joy, 0.5, 0.1, sadness, 0.5},
    {"😇", joy, 0.6, 0.5},
    {"😎", joy, 0.6, 0.5, excitement, 0.3},
    {"😋", joy, 0.7, 0.6},
    {"😸", joy, 0.8, 0.6},
    {"😹", joy, 0.9, 0.6},
    {"🤭", joy, 0.5, 0.3, surprise, 0.3},
    {"🥹", joy, 0.6, 0.4, love, 0.4},
    {"👍", joy, 0.4, 0.3},
    {"🙏", joy, 0.4, 0.3, love, 0.2},
    {"🙌", joy, 0.6, 0.6, excitement, 0.5},
    {"👏", joy, 0.5, 0.5, excitement, 0.3},
    {"✨", joy, 0.4, 0.4, excitement, 0.3},
    {"🌞", joy, 0.5, 0.5},
    {"🏆", joy, 0.6, 0.6, excitement, 0.5},
    {"🥂", joy, 0.5, 0.6, excitement, 0.5},
    {"💯", joy, 0.4, 0.5, excitement, 0.3},
    {"😜", joy, 0.5, 0.4, excitement, 0.3},
    {"😝", joy, 0.5, 0.4, excitement, 0.3},
    // sadness
    {"😢", sadness, 1.0, -0.7},
    {"😭", sadness, 1.1, -0.7},
    {"😞", sadness, 0.9, -0.6},
    {"😔", sadness, 0.9, -0.6},
    {"🙁", sadness, 0.7, -0.5},
    {"☹", sadness, 0.8, -0.6},
    {"😿", sadness, 1.0, -0.6},
    {"💔", sadness, 1.0, -0.8, love, 0.2},
    {"😥", sadness, 0.8, -0.5, fear, 0.2},
    {"😓", sadness, 0.6, -0.4, fear, 0.3},
    {"😪", sadness, 0.6, -0.4},
    {"😩", sadness, 0.7, -0.6, anger, 0.3},
    {"😫", sadness, 0.7, -0.6, anger, 0.2},
    {"😕", sadness, 0.5, -0.3},
    {"🥺", love, 0.6, 0.0, sadness, 0.5},
    // anger
    {"😡", anger, 1.1, -0.8},
    {"😠", anger, 1.0, -0.7},
    {"🤬", anger, 1.2, -0.9},
    {"💢", anger, 0.8, -0.6},
    {"😤", anger, 0.7, -0.4, excitement, 0.2},
    {"🙄", anger, 0.5, -0.4, disgust, 0.4},
    {"😒", anger, 0.5, -0.4, disgust, 0.3},
    {"👿", anger, 0.8, -0.6},
    {"😾", anger, 0.8, -0.5},
    {"🖕", anger, 1.0, -0.8},
    // fear
    {"😱", fear, 0.9, -0.6, surprise, 0.5},
    {"😨", fear, 1.0, -0.6},
    {"😰", fear, 1.0, -0.6},
    {"😬", fear, 0.7, -0.3},
    {"😧", fear, 0.6, -0.4, surprise, 0.4},
    {"😟", fear, 0.6, -0.5, sadness, 0.4},
    {"😖", fear, 0.4, -0.5, sadness, 0.4},
    {"🫣", fear, 0.6, -0.2, surprise, 0.3},
    {"🙀", fear, 0.6, -0.3, surprise, 0.6},
    {"🤞", excitement, 0.3, 0.1, fear, 0.3},
    // surprise
    {"😮", surprise, 1.0, 0.0},
    {"😲", surprise, 1.0, 0.0},
    {"😯", surprise, 0.9, 0.0},
    {"🤯", surprise, 1.1, 0.0, excitement, 0.2},
    {"😳", surprise, 0.6, -0.1, fear, 0.3},
    {"😵", surprise, 0.6, -0.2, fear, 0.3},
    {"🫢", surprise, 0.8, 0.0},
    {"👀", surprise, 0.5, 0.0, excitement, 0.2},
    {"⁉", surprise, 0.8, 0.0},
    {"‼", surprise, 0.3, 0.1, excitement, 0.3},
    {"🤨", surprise, 0.3, -0.2, disgust, 0.3},
    // disgust
    {"🤢", disgust, 1.1, -0.7},
    {"🤮", disgust, 1.2, -0.8},
    {"💩", disgust, 0.5, -0.4, anger, 0.2},
    // love
    {"😍", love, 1.1, 0.8, joy, 0.3},
    {"🥰", love, 1.1, 0.8, joy, 0.3},
    {"😘", love, 1.0, 0.7},
    {"😗", love, 0.6, 0.5},
    {"😙", love, 0.7, 0.5},
    {"😚", love, 0.8, 0.6},
    {"😻", love, 1.0, 0.7},
    {"🤗", love, 0.8, 0.6, joy, 0.4},
    {"🫂", love, 0.9, 0.4, sadness, 0.2},
    {"🫶", love, 1.0, 0.8},
    {"❤", love, 1.0, 0.8},
    {"♥", love, 0.9, 0.7},
    {"💕", love, 1.0, 0.8},
    {"💖", love, 1.0, 0.8},
    {"💗", love, 1.0, 0.8},
    {"💓", love, 1.0, 0.8},
    {"💞", love, 1.0, 0.8},
    {"💘", love, 1.0, 0.8},
    {"💝", love, 0.9, 0.8},
    {"💟", love, 0.8, 0.7},
    {"💜", love, 0.9, 0.7},
    {"💙", love, 0.9, 0.7},
    {"💚", love, 0.9, 0.7},
    {"💛", love, 0.9, 0.7},
    {"🧡", love, 0.9, 0.7},
    {"🤍", love, 0.8, 0.7},
    {"🖤", love, 0.6, 0.4},
    {"💋", love, 0.9, 0.7},
    {"💑", love, 0.9, 0.8},
    {"💏", love, 0.9, 0.8},
    {"🌹", love, 0.5, 0.5},
    {"💐", love, 0.4, 0.5, joy, 0.4},
    {"🐶", love, 0.3, 0.3, joy, 0.3},
    {"🐱", love, 0.3, 0.3, joy, 0.3},
    // excitement
    {"🎉", excitement, 1.0, 0.7, joy, 0.4},
    {"🥳", excitement, 1.0, 0.7, joy, 0.5},
    {"🎊", excitement, 0.9, 0.6, joy, 0.4},
    {"🎈", excitement, 0.6, 0.5, joy, 0.3},
    {"🔥", excitement, 0.8, 0.4},
    {"🤩", excitement, 1.0, 0.8, joy, 0.4},
    {"🚀", excitement, 0.8, 0.5},
    {"💪", excitement, 0.6, 0.5, joy, 0.2},
    {"🍾", excitement, 0.6, 0.6, joy, 0.4},
    {"🤪", excitement, 0.5, 0.4, joy, 0.4},
    {"⚡", excitement, 0.4, 0.2},

    // Emoticons. Repeated closing characters (":)))", "<333") add nothing here; the scorer
    // sees them as one emoticon.
    {":)", joy, 0.8, 0.5},
    {":-)", joy, 0.8, 0.5},
    {":]", joy, 0.7, 0.5},
    {"=)", joy, 0.8, 0.5},
    {":D", joy, 0.9, 0.7, excitement, 0.3},
    {":-D", joy, 0.9, 0.7, excitement, 0.3},
    {"=D", joy, 0.9, 0.7, excitement, 0.3},
    {"xD", joy, 1.0, 0.6},
    {"XD", joy, 1.0, 0.6},
    {"^^", joy, 0.7, 0.5},
    {"^_^", joy, 0.8, 0.6},
    {";)", joy, 0.5, 0.5, love, 0.3},
    {";-)", joy, 0.5, 0.5, love, 0.3},
    {":P", joy, 0.5, 0.4},
    {":p", joy, 0.5, 0.4},
    {":-P", joy, 0.5, 0.4},
    {":-p", joy, 0.5, 0.4},
    {":(", sadness, 0.9, -0.6},
    {":-(", sadness, 0.9, -0.6},
    {"=(", sadness, 0.9, -0.6},
    {";(", sadness, 0.8, -0.6},
    {":'(", sadness, 1.1, -0.7},
    {":'-(", sadness, 1.1, -0.7},
    {"T_T", sadness, 1.0, -0.6},
    {":/", sadness, 0.4, -0.3, anger, 0.3},
    {":-/", sadness, 0.4, -0.3, anger, 0.3},
    {"</3", sadness, 1.0, -0.7, love, 0.2},
    {">:(", anger, 1.1, -0.7},
    {">:-(", anger, 1.1, -0.7},
    {"-_-", anger, 0.5, -0.3, sadness, 0.2},
    {":O", surprise, 1.0, 0.0},
    {":o", surprise, 0.9, 0.0},
    {":-O", surprise, 1.0, 0.0},
    {":-o", surprise, 0.9, 0.0},
    {"<3", love, 1.0, 0.8},
    {":*", love, 0.8, 0.6},
    {":-*", love, 0.8, 0.6},
};

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// What may follow an emoticon: the end, a space, sentence punctuation or an emoji.
bool may_follow_emoticon(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return true;
  const char next = text[pos];
  return next == ' ' || next == '\t' || next == '\n' || next == '\r' || next == '.' ||
         next == ',' || next == '!' || next == '?' || next == ';' ||
         static_cast<unsigned char>(next) >= 0x80;
}

// Faces that open with ':', ';' or '=' may touch the word before them ("thanks:)"); the
// others ("xD", "<3", "T_T") would be part of a word if they did.
bool may_touch_previous_word(std::string_view emoticon) {
  return emoticon.front() == ':' || emoticon.front() == ';' || emoticon.front() == '=';
}

// The characters emoticons begin with; every other position is rejected at once, so the
// tokenizer may ask at every character.
bool may_start_emoticon(char c) {
  return c == ':' || c == ';' || c == '=' || c == '<' || c == '>' || c == 'x' || c == 'X' ||
         c == '^' || c == '-' || c == 'T';
}

bool is_emoticon_spec(const CueSpec& spec) {
  return static_cast<unsigned char>(spec.text.front()) < 0x80;
}

}  // namespace

std::span<const CueSpec> emoji_cue_specs() {
  return kEmojiCues;
}

bool is_emoji(char32_t c) {
  if (is_emoji_modifier(c)) return false;
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x2300 && c <= 0x23FF) || c == 0x203C ||
         c == 0x2049 || c == 0x2934 || c == 0x2935 || c == 0x3030 || c == 0x303D || c == 0x3297 ||
         c == 0x3299;
}

bool is_emoji_modifier(char32_t c) {
  return c == 0xFE0E || c == 0xFE0F || c == 0x200D || c == 0x20E3 ||
         (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
}

std::size_t emoticon_length_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || !may_start_emoticon(text[pos])) return 0;
  std::size_t best = 0;
  for (const CueSpec& spec : kEmojiCues) {
    if (!is_emoticon_spec(spec) || spec.text.size() <= best) continue;
    if (text.compare(pos, spec.text.size(), spec.text) != 0) continue;
    if (pos > 0 && is_ascii_alnum(text[pos - 1]) && !may_touch_previous_word(spec.text)) continue;
    std::size_t end = pos + spec.text.size();
    const char last = spec.text.back();
    if (last == ')' || last == '(' || last == 'D' || last == '3') {
      while (end < text.size() && text[end] == last) ++end;
    }
    if (may_follow_emoticon(text, end)) best = end - pos;
  }
  return best;
}

}  // namespace companion::core
