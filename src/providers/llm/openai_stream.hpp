#pragma once
// Reads the events of an OpenAI chat-completions stream: each `data:` holds a
// chat.completion.chunk whose first choice's delta carries text or tool-call fragments; a
// chunk with `usage` reports the token counts; `data: [DONE]` ends the stream.
#include <string_view>

#include "providers/llm/generation_builder.hpp"

namespace companion::providers {

class OpenAiChunkReader {
 public:
  explicit OpenAiChunkReader(GenerationBuilder& builder) : builder_(builder) {}

  // One event's data. Returns false to stop reading: [DONE] arrived or the consumer
  // stopped. Throws LlmError bad_response for data that is not a completion chunk, and for
  // an error the server reported inside the stream.
  bool take(std::string_view data);

  bool saw_done() const { return done_; }

 private:
  GenerationBuilder& builder_;
  bool done_ = false;
};

}  // namespace companion::providers
