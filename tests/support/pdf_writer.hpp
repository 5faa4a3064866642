#pragma once
// Writes small, valid PDFs for tests and benchmarks: one page per string, set in Helvetica
// with a correct cross-reference table, so a real PDF reader extracts the same text back.
// Text is ASCII; '\n' starts a new line and long lines wrap at word boundaries.
#include <string>
#include <vector>

namespace companion::testing {

struct PdfOptions {
  std::string title;       // written to the Info dictionary when not empty
  bool encrypted = false;  // adds a Standard security handler whose password nobody knows
};

std::string make_pdf(const std::vector<std::string>& pages, const PdfOptions& options = {});

}  // namespace companion::testing
