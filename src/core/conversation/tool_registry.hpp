#pragma once
// The tools a model may call during a turn. Each tool takes its arguments as the JSON text
// the model wrote and answers with JSON text that goes back to the model (and, shortened,
// to the clients that show tool activity).
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancellation_token.hpp"
#include "core/llm/llm_provider.hpp"

namespace companion::core {

struct ToolContext {
  std::int64_t user_id = 0;
  std::string username;
  std::string conversation_id;
  std::string turn_id;
  CancellationToken cancellation;
};

// A tool refused its arguments or could not do its work; the message goes to the model.
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual const ToolSchema& schema() const = 0;
  // Blocking. Returns the result as JSON text; throws ToolError.
  virtual std::string invoke(const ToolContext& context, std::string_view arguments_json) = 0;
};

class ToolRegistry {
 public:
  void add(std::shared_ptr<Tool> tool);
  Tool* find(std::string_view name) const;
  std::vector<ToolSchema> schemas() const;
  std::vector<std::string> names() const;
  bool empty() const { return tools_.empty(); }

 private:
  std::map<std::string, std::shared_ptr<Tool>, std::less<>> tools_;
};

}  // namespace companion::core
