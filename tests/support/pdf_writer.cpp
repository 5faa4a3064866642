#include "support/pdf_writer.hpp"

#include <cstdio>
#include <sstream>

namespace companion::testing {

namespace {

constexpr std::size_t kWrapColumn = 90;

std::string escape_pdf_string(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '(' || c == ')' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

// Splits page text into lines: at '\n', and at the last space before the wrap column.
std::vector<std::string> layout_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream paragraphs(text);
  std::string paragraph;
  while (std::getline(paragraphs, paragraph)) {
    while (paragraph.size() > kWrapColumn) {
      std::size_t cut = paragraph.rfind(' ', kWrapColumn);
      if (cut == std::string::npos || cut == 0) cut = kWrapColumn;
      lines.push_back(paragraph.substr(0, cut));
      paragraph.erase(0, paragraph[cut] == ' ' ? cut + 1 : cut);
    }
    lines.push_back(paragraph);
  }
  return lines;
}

std::string content_stream(const std::string& page_text) {
  std::string stream = "BT\n/F1 10 Tf\n12 TL\n50 760 Td\n";
  for (const std::string& line : layout_lines(page_text)) {
    stream.append("(").append(escape_pdf_string(line)).append(") Tj T*\n");
  }
  return stream + "ET\n";
}

class PdfBuilder {
 public:
  // Objects are numbered in the order they are added, from 1.
  int add(const std::string& body) {
    offsets_.push_back(out_.size());
    const int number = static_cast<int>(offsets_.size());
    out_ += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
    return number;
  }

  std::string finish(const std::string& trailer_entries) {
    const std::size_t xref_offset = out_.size();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    for (const std::size_t offset : offsets_) {
      char entry[32];
      std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
      out_ += entry;
    }
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " " + trailer_entries +
            " >>\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
    return std::move(out_);
  }

 private:
  std::string out_ = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets_;
};

std::string stream_object(const std::string& data) {
  return "<< /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "endstream";
}

}  // namespace

std::string make_pdf(const std::vector<std::string>& pages, const PdfOptions& options) {
  PdfBuilder pdf;
  // Pages and contents are numbered after the catalog, page tree and font: 4, 5, 6, …
  const int catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (std::size_t i = 0; i < pages.size(); ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  pdf.add("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    pdf.add(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 "
        "0 R >> >> /Contents " +
        std::to_string(5 + 2 * i) + " 0 R >>");
    pdf.add(stream_object(content_stream(pages[i])));
  }
  std::string trailer = "/Root " + std::to_string(catalog) + " 0 R";
  if (!options.title.empty()) {
    const int info = pdf.add("<< /Title (" + escape_pdf_string(options.title) + ") >>");
    trailer += " /Info " + std::to_string(info) + " 0 R";
  }
  if (options.encrypted) {
    const std::string key_hex(64, 'A');
    const int encrypt = pdf.add("<< /Filter /Standard /V 1 /R 2 /O <" + key_hex + "> /U <" +
                                key_hex + "> /P -44 >>");
    trailer += " /Encrypt " + std::to_string(encrypt) +
               " 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]";
  }
  return pdf.finish(trailer);
}

}  // namespace companion::testing
