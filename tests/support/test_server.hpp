#pragma once
// An in-process server on an ephemeral port with its own temporary data folder.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "app/companion.hpp"
#include "app/config.hpp"

namespace companion::testing {

// A fresh temporary folder, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Config suited to tests: loopback, port 0, cheap password hashing, quiet logs.
app::Config test_config(const std::filesystem::path& data_dir);

class TestServer {
 public:
  explicit TestServer(std::function<void(app::Config&)> adjust = {});
  ~TestServer();
  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  app::Companion& app() { return *app_; }
  const std::filesystem::path& data_dir() const { return dir_.path(); }
  void stop();

 private:
  TempDir dir_;
  std::unique_ptr<app::Companion> app_;
  std::uint16_t port_ = 0;
};

}  // namespace companion::testing
