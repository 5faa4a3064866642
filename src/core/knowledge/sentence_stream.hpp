#pragma once
// Finds sentences in text that arrives in pieces (a reply streamed token by token), so each
// can be shown, analysed or spoken as soon as it is complete. A sentence counts as complete
// once the next one has begun: only then can the splitter tell "Dr. Smith" from an ending.
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

class SentenceStream {
 public:
  // Adds the next piece; returns the sentences it completed, in order.
  std::vector<std::string> push(std::string_view piece);
  // The end of the text: the sentences still held, the last one possibly unfinished.
  std::vector<std::string> finish();

 private:
  std::string pending_;
};

}  // namespace companion::core
