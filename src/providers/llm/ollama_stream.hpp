#pragma once
// Reads the lines of Ollama's native /api/chat stream (NDJSON): each line is one JSON
// object whose `message` carries the next text or whole tool calls (arguments as objects,
// no ids); the line with "done": true names the done_reason and the token counts.
#include <string_view>

#include "providers/llm/generation_builder.hpp"

namespace companion::providers {

class OllamaLineReader {
 public:
  explicit OllamaLineReader(GenerationBuilder& builder) : builder_(builder) {}

  // One line. Returns false to stop reading: the final line arrived or the consumer
  // stopped. Throws LlmError bad_response for a line that is not JSON and for an error the
  // server reported inside the stream.
  bool take(std::string_view line);

  bool saw_done() const { return done_; }

 private:
  GenerationBuilder& builder_;
  int next_call_index_ = 0;
  bool done_ = false;
};

}  // namespace companion::providers
