#include "store/sqlite/character_repository.hpp"

#include <functional>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace companion::store::sqlite {

namespace json = boost::json;

namespace {

constexpr const char* columns =
    "c.id, c.character_id, c.bot_id, c.owner_user_id, c.name, c.description, c.personality, "
    "c.traits, c.speaking_style, c.interests, c.background, c.system_prompt, c.language, "
    "c.voice_id, c.video_model, c.avatar_url, c.capabilities, c.model, c.temperature, "
    "c.max_tokens, c.active, c.created_at, c.updated_at";

std::string list_text(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& item : items) a.emplace_back(item);
  return json::serialize(a);
}

std::vector<std::string> list_from(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array())
    if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

std::string traits_text(const std::map<std::string, double>& traits) {
  json::object o;
  for (const auto& [name, value] : traits) o[name] = value;
  return json::serialize(o);
}

std::map<std::string, double> traits_from(const std::string& text) {
  std::map<std::string, double> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [name, value] : v.as_object())
    if (value.is_number()) out.emplace(name, value.to_number<double>());
  return out;
}

core::Character read_character(const Statement& st) {
  core::Character c;
  c.row_id = st.int64(0);
  c.id = st.text(1);
  c.bot_id = st.text(2);
  c.owner_user_id = st.int64(3);
  c.name = st.text(4);
  c.description = st.text(5);
  c.personality = st.text(6);
  c.traits = traits_from(st.text(7));
  c.speaking_style = st.text(8);
  c.interests = list_from(st.text(9));
  c.background = st.text(10);
  c.system_prompt = st.text(11);
  c.language = st.text(12);
  c.voice_id = st.text(13);
  c.video_model = st.text(14);
  c.avatar_url = st.text(15);
  c.capabilities = list_from(st.text(16));
  c.model = st.text(17);
  if (!st.is_null(18)) c.temperature = st.real(18);
  if (!st.is_null(19)) c.max_tokens = static_cast<int>(st.int64(19));
  c.active = st.int64(20) != 0;
  c.created_at = st.int64(21);
  c.updated_at = st.int64(22);
  return c;
}

std::optional<core::Character> one(Connection& c, const std::string& where,
                                   const std::function<void(Statement&)>& bind) {
  auto st = c.prepare(std::string("SELECT ") + columns + " FROM characters c WHERE " + where);
  bind(st);
  if (!st.step()) return std::nullopt;
  return read_character(st);
}

std::optional<core::Character> by_owner_and_id(Connection& c, std::int64_t owner,
                                               std::string_view id) {
  return one(c, "c.owner_user_id = ?1 AND c.character_id = ?2",
             [&](Statement& st) { st.bind(1, owner).bind(2, id); });
}

}  // namespace

std::optional<core::Character> SqliteCharacterRepository::find(std::int64_t owner_user_id,
                                                               std::string_view id) {
  return db_->read([&](Connection& c) { return by_owner_and_id(c, owner_user_id, id); });
}

std::optional<core::Character> SqliteCharacterRepository::find_by_bot_id(std::string_view bot_id) {
  if (bot_id.empty()) return std::nullopt;
  return db_->read([&](Connection& c) {
    return one(c, "c.bot_id = ?1", [&](Statement& st) { st.bind(1, bot_id); });
  });
}

std::optional<core::Character> SqliteCharacterRepository::find_by_row(std::int64_t row_id) {
  return db_->read([&](Connection& c) {
    return one(c, "c.id = ?1", [&](Statement& st) { st.bind(1, row_id); });
  });
}

std::vector<core::Character> SqliteCharacterRepository::list(std::int64_t owner_user_id) {
  return db_->read([&](Connection& c) {
    std::vector<core::Character> out;
    auto st = c.prepare(std::string("SELECT ") + columns +
                        " FROM characters c WHERE c.owner_user_id = ?1 "
                        "OR (c.owner_user_id = 0 AND NOT EXISTS (SELECT 1 FROM characters own "
                        "WHERE own.owner_user_id = ?1 AND own.character_id = c.character_id)) "
                        "ORDER BY c.id");
    st.bind(1, owner_user_id);
    while (st.step()) out.push_back(read_character(st));
    return out;
  });
}

core::Character SqliteCharacterRepository::save(const core::Character& ch) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO characters (character_id, bot_id, owner_user_id, name, description, "
        "personality, traits, speaking_style, interests, background, system_prompt, language, "
        "voice_id, video_model, avatar_url, capabilities, model, temperature, max_tokens, "
        "active, created_at, updated_at) VALUES (?1, NULLIF(?2, ''), ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) "
        "ON CONFLICT (owner_user_id, character_id) DO UPDATE SET bot_id = excluded.bot_id, "
        "name = excluded.name, description = excluded.description, "
        "personality = excluded.personality, traits = excluded.traits, "
        "speaking_style = excluded.speaking_style, interests = excluded.interests, "
        "background = excluded.background, system_prompt = excluded.system_prompt, "
        "language = excluded.language, voice_id = excluded.voice_id, "
        "video_model = excluded.video_model, avatar_url = excluded.avatar_url, "
        "capabilities = excluded.capabilities, model = excluded.model, "
        "temperature = excluded.temperature, max_tokens = excluded.max_tokens, "
        "active = excluded.active, updated_at = excluded.updated_at");
    st.bind(1, ch.id)
        .bind(2, ch.bot_id)
        .bind(3, ch.owner_user_id)
        .bind(4, ch.name)
        .bind(5, ch.description)
        .bind(6, ch.personality)
        .bind(7, traits_text(ch.traits))
        .bind(8, ch.speaking_style)
        .bind(9, list_text(ch.interests))
        .bind(10, ch.background)
        .bind(11, ch.system_prompt)
        .bind(12, ch.language)
        .bind(13, ch.voice_id)
        .bind(14, ch.video_model)
        .bind(15, ch.avatar_url)
        .bind(16, list_text(ch.capabilities))
        .bind(17, ch.model)
        .bind(18, ch.temperature)
        .bind(19, ch.max_tokens)
        .bind(20, ch.active ? 1 : 0)
        .bind(21, ch.created_at)
        .bind(22, ch.updated_at);
    st.run();
    return *by_owner_and_id(c, ch.owner_user_id, ch.id);
  });
}

bool SqliteCharacterRepository::remove(std::int64_t owner_user_id, std::string_view id) {
  return db_->write([&](Connection& c) {
    auto st = c.prepare("DELETE FROM characters WHERE owner_user_id = ?1 AND character_id = ?2");
    st.bind(1, owner_user_id).bind(2, id);
    st.run();
    return c.changes() > 0;
  });
}

}  // namespace companion::store::sqlite
