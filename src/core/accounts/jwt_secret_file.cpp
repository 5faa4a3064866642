#include "core/accounts/jwt_secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/accounts/secrets.hpp"

namespace companion::core {

namespace {

std::string read_secret(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

std::string load_or_create_secret(const std::filesystem::path& file) {
  if (std::filesystem::exists(file)) {
    std::string secret = read_secret(file);
    if (secret.size() >= 32) return secret;
    throw std::runtime_error("the JWT secret in " + file.string() + " is too short");
  }
  std::string secret = base64url_encode(random_bytes(32));
  // O_EXCL: when two processes race, exactly one writes and both then read the same bytes.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    if (errno == EEXIST) return read_secret(file);
    throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
  return secret;
}

}  // namespace companion::core
