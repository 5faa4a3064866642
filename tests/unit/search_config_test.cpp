// The [search] section and its environment names: which search tools a server offers, where
// they go, and how long and how much they may take.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "app/config.hpp"
#include "app/search_setup.hpp"

using companion::app::Config;
using companion::app::load_config;

namespace {

// Sets an environment variable for the scope of a test and restores what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

Config config_from(const std::string& toml) {
  auto path = std::filesystem::temp_directory_path() /
              ("companion-search-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << toml;
  auto config = load_config(path.string());
  std::filesystem::remove(path);
  return config;
}

std::vector<std::string> tool_names(const companion::app::SearchConfig& search) {
  companion::core::ToolRegistry tools;
  companion::app::add_search_tools(tools, search);
  return tools.names();
}

}  // namespace

TEST(SearchConfig, WikipediaIsOfferedByDefaultAndWebSearchOnlyWhenConfigured) {
  companion::app::SearchConfig defaults;
  EXPECT_EQ(defaults.wikipedia_api_url, "https://en.wikipedia.org/w/api.php");
  EXPECT_TRUE(defaults.web_search_url.empty());
  EXPECT_EQ(tool_names(defaults), (std::vector<std::string>{"search_wikipedia"}));
  defaults.web_search_url = "http://127.0.0.1:8888";
  EXPECT_EQ(tool_names(defaults), (std::vector<std::string>{"search_wikipedia", "web_search"}));
  defaults.wikipedia_api_url.clear();
  EXPECT_EQ(tool_names(defaults), (std::vector<std::string>{"web_search"}));
}

TEST(SearchConfig, TomlSectionSetsServicesTimeAndResults) {
  auto config = config_from(R"(
[search]
web_search_url = "http://10.0.0.7:8888"
wikipedia_api_url = "https://de.wikipedia.org/w/api.php"
timeout_ms = 2500
max_results = 8
)");
  if (std::getenv("COMPANION_SEARXNG_URL") == nullptr)
    EXPECT_EQ(config.search.web_search_url, "http://10.0.0.7:8888");
  if (std::getenv("COMPANION_WIKIPEDIA_API_URL") == nullptr)
    EXPECT_EQ(config.search.wikipedia_api_url, "https://de.wikipedia.org/w/api.php");
  EXPECT_EQ(config.search.timeout_ms, 2500);
  EXPECT_EQ(config.search.max_results, 8);
}

TEST(SearchConfig, TheEnvironmentOverridesTheFileAndOffTurnsAServiceOff) {
  ScopedEnv searxng("COMPANION_SEARXNG_URL", "http://searx.internal:8080");
  ScopedEnv wikipedia("COMPANION_WIKIPEDIA_API_URL", "off");
  ScopedEnv timeout("COMPANION_SEARCH_TIMEOUT_MS", "1200");
  auto config = config_from("[search]\nweb_search_url = \"http://10.0.0.7:8888\"\n");
  EXPECT_EQ(config.search.web_search_url, "http://searx.internal:8080");
  EXPECT_EQ(config.search.wikipedia_api_url, "");
  EXPECT_EQ(config.search.timeout_ms, 1200);
}

TEST(SearchConfig, OutOfRangeValuesAndUnusableUrlsAreRefused) {
  EXPECT_THROW(config_from("[search]\ntimeout_ms = 0\n"), std::runtime_error);
  EXPECT_THROW(config_from("[search]\nmax_results = 0\n"), std::runtime_error);
  EXPECT_THROW(config_from("[search]\nmax_results = 500\n"), std::runtime_error);
  companion::app::SearchConfig bad;
  bad.web_search_url = "searx.local:8888";
  EXPECT_THROW(tool_names(bad), std::invalid_argument);
}
