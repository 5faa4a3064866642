#include "support/test_server.hpp"

#include <random>

namespace companion::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("companion-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

app::Config test_config(const std::filesystem::path& data_dir) {
  app::Config c;
  c.server.host = "127.0.0.1";
  c.server.port = 0;
  c.server.io_threads = 2;
  c.server.shutdown_deadline = std::chrono::seconds(5);
  c.data_dir = data_dir.string();
  c.log_level = "warning";
  c.access_log = false;
  c.worker_threads = 4;
  c.password_ops_limit = 1;
  c.password_mem_limit = 8192;
  c.jwt_secret = "test-secret-test-secret-test-secret";
  c.root_api_key = "root-test-key-0123456789";
  // Tests never reach the internet: a test that searches names its own fake endpoint.
  c.search.wikipedia_api_url.clear();
  return c;
}

TestServer::TestServer(std::function<void(app::Config&)> adjust) {
  app::Config c = test_config(dir_.path());
  if (adjust) adjust(c);
  app_ = std::make_unique<app::Companion>(c);
  port_ = app_->start();
}

TestServer::~TestServer() {
  stop();
}

void TestServer::stop() {
  if (app_) app_->stop();
}

}  // namespace companion::testing
