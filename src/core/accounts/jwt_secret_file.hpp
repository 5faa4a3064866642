#pragma once
// The JWT signing secret when the configuration gives none: 32 random bytes generated once
// into a file readable only by the owner, and reused on every later start so that issued
// tokens survive restarts.
#include <filesystem>
#include <string>

namespace companion::core {

// Throws std::runtime_error when the file can be neither read nor created.
std::string load_or_create_secret(const std::filesystem::path& file);

}  // namespace companion::core
