#include "core/characters/character_service.hpp"

#include <chrono>
#include <map>
#include <random>

namespace companion::core {
namespace {

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A version-4 UUID: AI Coach clients name agents by one.
std::string make_uuid() {
  std::random_device device;
  std::mt19937_64 rng((static_cast<std::uint64_t>(device()) << 32) ^ device());
  std::uniform_int_distribution<int> hex(0, 15);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    int value = hex(rng);
    if (i == 12) value = 4;
    if (i == 16) value = 8 | (value & 3);
    out += digits[value];
  }
  return out;
}

Character friend_persona() {
  Character c;
  c.id = std::string(default_persona_id);
  c.name = "Friend";
  c.description = "A thoughtful companion who remembers what matters to you";
  c.personality = "Warm, curious, attentive and gently humorous";
  c.traits = {{"friendliness", 0.9},
              {"humor", 0.7},
              {"empathy", 0.9},
              {"formality", 0.3},
              {"enthusiasm", 0.8}};
  c.speaking_style = "casual";
  c.interests = {"technology", "music", "books", "philosophy"};
  c.background =
      "I'm an AI companion designed to be your thoughtful friend: I listen, I remember what "
      "you tell me, and I'm here when you want to talk.";
  c.language = "en-US";
  c.voice_id = "friendly_female_01";
  c.capabilities = {"text", "voice"};
  return c;
}

Character chattr_assistant() {
  Character c;
  c.id = std::string(default_chattr_character_id);
  c.name = "Assistant";
  c.description = "A helpful and friendly AI assistant";
  c.personality = "Professional, helpful, and knowledgeable";
  c.traits = {{"friendliness", 0.8},
              {"humor", 0.3},
              {"empathy", 0.7},
              {"formality", 0.6},
              {"enthusiasm", 0.5}};
  c.speaking_style = "formal";
  c.system_prompt = "You are a helpful assistant. Answer clearly and kindly.";
  c.avatar_url = "/assets/avatars/assistant.png";
  c.voice_id = "default";
  c.video_model = "stable-video";
  c.capabilities = {"text", "voice", "video"};
  c.temperature = 0.7;
  c.max_tokens = 4096;
  return c;
}

Character chattr_creative() {
  Character c;
  c.id = "creative";
  c.name = "Creative Writer";
  c.description = "An imaginative AI focused on creative tasks";
  c.personality = "Creative, artistic, and inspiring";
  c.traits = {{"friendliness", 0.8},
              {"humor", 0.8},
              {"empathy", 0.7},
              {"formality", 0.2},
              {"enthusiasm", 0.9}};
  c.speaking_style = "playful";
  c.interests = {"stories", "poetry", "art", "music"};
  c.system_prompt = "You are an imaginative creative writer. Inspire and play with ideas.";
  c.avatar_url = "/assets/avatars/creative.png";
  c.voice_id = "expressive";
  c.capabilities = {"text", "voice"};
  c.temperature = 0.9;
  c.max_tokens = 4096;
  return c;
}

Character coach_agent() {
  Character c;
  c.id = std::string(default_coach_agent_id);
  c.name = "AI Coach";
  c.description = "A realtime coach that plans with you and explains step by step";
  c.personality = "Encouraging, structured and practical";
  c.traits = {{"friendliness", 0.8},
              {"humor", 0.4},
              {"empathy", 0.8},
              {"formality", 0.5},
              {"enthusiasm", 0.7}};
  c.speaking_style = "thoughtful";
  c.interests = {"productivity", "learning", "health", "planning"};
  c.system_prompt = "You are a supportive coach. Give short, concrete, encouraging steps.";
  c.capabilities = {"text", "voice"};
  return c;
}

}  // namespace

CharacterService::CharacterService(std::shared_ptr<CharacterRepository> repository, UnixClock clock)
    : repository_(std::move(repository)), clock_(clock ? std::move(clock) : system_now) {}

std::vector<Character> CharacterService::built_in() {
  return {friend_persona(), chattr_assistant(), chattr_creative(), coach_agent()};
}

void CharacterService::seed_defaults() {
  for (auto& character : built_in()) {
    if (repository_->find(0, character.id)) continue;
    create(std::move(character));
  }
}

std::optional<Character> CharacterService::resolve(std::int64_t user_id, std::string_view id) {
  if (user_id != 0) {
    if (auto own = repository_->find(user_id, id)) return own;
  }
  return repository_->find(0, id);
}

std::optional<Character> CharacterService::resolve_bot(std::string_view bot_id) {
  return repository_->find_by_bot_id(bot_id);
}

std::optional<Character> CharacterService::resolve_row(std::int64_t row_id) {
  return repository_->find_by_row(row_id);
}

std::vector<Character> CharacterService::list(std::int64_t user_id) {
  // The repository returns shared and own rows; an own copy replaces the shared one of the
  // same id, in the shared one's place.
  auto rows = repository_->list(user_id);
  std::map<std::string, Character> own;
  for (const auto& row : rows) {
    if (row.owner_user_id != 0) own.emplace(row.id, row);
  }
  std::vector<Character> out;
  for (const auto& row : rows) {
    if (row.owner_user_id == 0) {
      auto mine = own.find(row.id);
      out.push_back(mine != own.end() ? mine->second : row);
      if (mine != own.end()) own.erase(mine);
    }
  }
  for (auto& [id, character] : own) out.push_back(std::move(character));
  return out;
}

std::optional<Character> CharacterService::update_for_user(
    std::int64_t user_id, std::string_view id, const std::function<void(Character&)>& edit) {
  auto current = resolve(user_id, id);
  if (!current) return std::nullopt;
  Character copy = *current;
  if (copy.owner_user_id != user_id) {
    // First edit: the user's own row, with its own agent ids.
    copy.row_id = 0;
    copy.owner_user_id = user_id;
    copy.bot_id = make_uuid();
    copy.created_at = clock_();
  }
  edit(copy);
  copy.id = std::string(id);
  copy.owner_user_id = user_id;
  copy.updated_at = clock_();
  return repository_->save(copy);
}

std::optional<Character> CharacterService::reset_for_user(std::int64_t user_id,
                                                          std::string_view id) {
  if (user_id != 0) repository_->remove(user_id, id);
  return repository_->find(0, id);
}

Character CharacterService::create(Character character) {
  character.row_id = 0;
  if (character.bot_id.empty()) character.bot_id = make_uuid();
  character.created_at = character.updated_at = clock_();
  return repository_->save(character);
}

bool CharacterService::remove(std::int64_t user_id, std::string_view id) {
  return repository_->remove(user_id, id);
}

}  // namespace companion::core
