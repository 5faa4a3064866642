// Document text extraction for the knowledge base: every input is generated here, the
// type is judged by content, and each failure comes back as a typed, worded error.
#include "media/documents/content_document_extractor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/docx_writer.hpp"
#include "support/pdf_writer.hpp"

namespace companion {
namespace {

using core::ExtractionErrorKind;
using testing::make_docx;
using testing::make_docx_with_body;
using testing::make_pdf;

const std::string kFact = "The warranty lasts 36 months.";

core::ExtractionResult extract(const std::string& bytes, const std::string& name,
                               core::ExtractionLimits limits = {}) {
  return media::ContentDocumentExtractor(limits).extract(bytes, name);
}

std::string collapse_spaces(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const char d = (c == '\n' || c == '\t') ? ' ' : c;
    if (d == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(d);
  }
  return out;
}

bool contains(const std::string& text, const std::string& needle) {
  return collapse_spaces(text).find(needle) != std::string::npos;
}

void expect_error(const core::ExtractionResult& result, ExtractionErrorKind kind,
                  const std::string& message_part) {
  ASSERT_FALSE(result.ok()) << "extracted: " << result.document().pages.front().text;
  EXPECT_EQ(result.error().kind, kind) << result.error().message;
  EXPECT_NE(result.error().message.find(message_part), std::string::npos) << result.error().message;
}

std::vector<std::string> three_page_manual() {
  return {"Product manual\nThank you for buying the Kettle 3000. Read this guide first.",
          "Service and warranty\nRegister the kettle online. " + kFact +
              " Repairs are free during that time.",
          "Cleaning\nDescale the kettle every month with vinegar."};
}

TEST(DocumentExtractor, PdfKeepsEachPageAndItsNumber) {
  const auto result = extract(make_pdf(three_page_manual(), {"Kettle manual"}), "manual.pdf");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& document = result.document();
  EXPECT_EQ(document.detected_type, "pdf");
  EXPECT_EQ(document.title, "Kettle manual");
  ASSERT_EQ(document.pages.size(), 3u);
  EXPECT_EQ(document.pages[1].number, 2);
  EXPECT_TRUE(contains(document.pages[1].text, kFact)) << document.pages[1].text;
  EXPECT_FALSE(contains(document.pages[0].text, "warranty lasts"));
  EXPECT_TRUE(contains(document.pages[2].text, "Descale the kettle every month"));
}

TEST(DocumentExtractor, PdfNamedTxtIsStillReadAsPdf) {
  const auto result = extract(make_pdf(three_page_manual()), "notes.txt");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.document().detected_type, "pdf");
  EXPECT_TRUE(contains(result.document().pages[1].text, kFact));
}

TEST(DocumentExtractor, PasswordProtectedPdfIsEncrypted) {
  const std::string pdf = make_pdf(three_page_manual(), {.title = "", .encrypted = true});
  expect_error(extract(pdf, "secret.pdf"), ExtractionErrorKind::encrypted, "password-protected");
}

TEST(DocumentExtractor, TruncatedPdfIsCorrupt) {
  const std::string pdf = make_pdf(three_page_manual());
  // An upload cut off halfway: later pages and the cross-reference table are missing.
  expect_error(extract(pdf.substr(0, pdf.size() / 2), "cut.pdf"), ExtractionErrorKind::corrupt,
               "damaged");
}

TEST(DocumentExtractor, PdfWithMorePagesThanTheLimitIsTooLarge) {
  const std::vector<std::string> pages(6, "A page of text.");
  expect_error(extract(make_pdf(pages), "long.pdf", {.max_pages = 5}),
               ExtractionErrorKind::too_large, "6 pages; the limit is 5");
}

TEST(DocumentExtractor, PdfWithoutTextIsEmpty) {
  expect_error(extract(make_pdf({"", ""}), "scan.pdf"), ExtractionErrorKind::empty,
               "the document contains no text");
}

TEST(DocumentExtractor, DocxKeepsParagraphsHeadingsTablesAndPageBreaks) {
  const std::string body =
      testing::docx_paragraph("Kettle 3000", "Title") +
      testing::docx_paragraph("Warranty", "Heading1") + testing::docx_paragraph(kFact) +
      "<w:tbl><w:tr><w:tc>" + testing::docx_paragraph("Part") + "</w:tc><w:tc>" +
      testing::docx_paragraph("Months") + "</w:tc></w:tr><w:tr><w:tc>" +
      testing::docx_paragraph("Heater") + "</w:tc><w:tc>" + testing::docx_paragraph("24") +
      "</w:tc></w:tr></w:tbl>"
      "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>" +
      testing::docx_paragraph("Cleaning") +
      "<w:p><w:r><w:delText>removed words</w:delText></w:r></w:p>";
  const auto result = extract(make_docx_with_body(body), "manual.bin");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& document = result.document();
  EXPECT_EQ(document.detected_type, "docx");
  EXPECT_EQ(document.title, "Kettle 3000");
  ASSERT_EQ(document.pages.size(), 2u);
  const std::string& first = document.pages[0].text;
  EXPECT_NE(first.find("Warranty\n\n" + kFact), std::string::npos) << first;
  EXPECT_NE(first.find("Part | Months\nHeater | 24"), std::string::npos) << first;
  EXPECT_EQ(document.pages[1].number, 2);
  EXPECT_EQ(document.pages[1].text, "Cleaning");
}

TEST(DocumentExtractor, DocxTitleComesFromDocumentProperties) {
  const auto result =
      extract(make_docx_with_body(testing::docx_paragraph(kFact), "Warranty terms"), "w.docx");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.document().title, "Warranty terms");
  EXPECT_EQ(result.document().pages[0].text, kFact);
}

TEST(DocumentExtractor, ZipThatIsNotAWordDocumentIsUnsupported) {
  const std::string zip = testing::make_zip({{"photos/readme.txt", "holiday pictures"}});
  expect_error(extract(zip, "archive.docx"), ExtractionErrorKind::unsupported_type,
               "zip archive is not a Word document");
}

TEST(DocumentExtractor, DocxThatUnpacksPastTheLimitIsTooLarge) {
  // Two megabytes of one repeated paragraph deflate to a few kilobytes: a small zip bomb.
  std::string body;
  while (body.size() < (2u << 20)) body += testing::docx_paragraph("All work and no play.");
  const std::string docx = make_docx_with_body(body);
  ASSERT_LT(docx.size(), 64u * 1024);
  expect_error(extract(docx, "bomb.docx", {.max_part_bytes = 1u << 20}),
               ExtractionErrorKind::too_large, "word/document.xml");
}

TEST(DocumentExtractor, DamagedDocxIsCorruptOrUnsupportedNeverACrash) {
  const std::string docx = make_docx({kFact, "Second paragraph."});
  for (std::size_t cut = 4; cut < docx.size(); cut += 7) {
    const auto result = extract(docx.substr(0, cut), "cut.docx");
    EXPECT_FALSE(result.ok() && result.document().detected_type != "docx");
  }
  const auto garbled = extract(make_docx_with_body("<w:p><w:r><w:t>unclosed"), "x.docx");
  expect_error(garbled, ExtractionErrorKind::corrupt, "not well-formed XML");
}

TEST(DocumentExtractor, MalformedUtf8InsideADocxIsRepaired) {
  const auto result = extract(make_docx({"caf\xE9 " + kFact}), "latin1.docx");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.document().pages[0].text, "caf\xEF\xBF\xBD " + kFact);
}

TEST(DocumentExtractor, DeeplyNestedDocxDoesNotExhaustTheStack) {
  std::string body;
  for (int i = 0; i < 200000; ++i) body += "<w:sdt>";
  body += testing::docx_paragraph(kFact);
  for (int i = 0; i < 200000; ++i) body += "</w:sdt>";
  const auto result = extract(make_docx_with_body(body), "deep.docx");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.document().pages[0].text, kFact);
}

TEST(DocumentExtractor, HtmlDropsScriptsStylesCommentsAndTags) {
  const std::string html =
      "<!DOCTYPE html><html><head><title>Kettle &amp; Co</title>"
      "<style>p { color: red; }</style><script>var secret = 'do not index';</script></head>"
      "<body><h1>Warranty</h1><!-- internal note --><p>The warranty lasts <b>36</b> "
      "months.</p><p>Caf&eacute; &#x2615; &lt;hot&gt;</p><ul><li>One</li><li>Two</li></ul>"
      "<table><tr><td>Part</td><td>Months</td></tr></table></body></html>";
  const auto result = extract(html, "page.txt");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& document = result.document();
  EXPECT_EQ(document.detected_type, "html");
  EXPECT_EQ(document.title, "Kettle & Co");
  const std::string& text = document.pages[0].text;
  EXPECT_NE(text.find("Warranty\n\n" + kFact), std::string::npos) << text;
  EXPECT_NE(text.find("Caf\xC3\xA9 \xE2\x98\x95 <hot>"), std::string::npos) << text;
  EXPECT_NE(text.find("One\nTwo"), std::string::npos) << text;
  EXPECT_NE(text.find("Part | Months"), std::string::npos) << text;
  for (const char* hidden : {"color", "secret", "internal note", "<b>", "Kettle & Co"}) {
    EXPECT_EQ(text.find(hidden), std::string::npos) << hidden;
  }
}

TEST(DocumentExtractor, BrokenHtmlStillYieldsItsText) {
  const auto result = extract("<div>" + kFact + " a < b <p class=\"x>unterminated", "a.html");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_NE(result.document().pages[0].text.find(kFact + " a < b"), std::string::npos);
  expect_error(extract("<html><script>never closed " + kFact, "b.html"), ExtractionErrorKind::empty,
               "the document contains no text");
}

TEST(DocumentExtractor, MarkdownKeepsHeadingsAndDropsLinkUrlsAndHtml) {
  const std::string markdown =
      "# Kettle manual\n\nSee [the warranty page](https://example.com/warranty) for terms.\n\n"
      "## Warranty\n" +
      kFact +
      "\n\n<div class=\"ad\">Buy now</div>\n\n"
      "- descale monthly\n- use vinegar\n\n![kettle photo](kettle.png)\n";
  const auto result = extract(markdown, "README.md");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& document = result.document();
  EXPECT_EQ(document.detected_type, "markdown");
  EXPECT_EQ(document.title, "Kettle manual");
  const std::string& text = document.pages[0].text;
  EXPECT_NE(text.find("See the warranty page for terms."), std::string::npos) << text;
  EXPECT_NE(text.find("Warranty\n\n" + kFact), std::string::npos) << text;
  EXPECT_NE(text.find("descale monthly\nuse vinegar"), std::string::npos) << text;
  EXPECT_NE(text.find("kettle photo"), std::string::npos) << text;
  for (const char* dropped : {"https://", "example.com", "Buy now", "<div", "kettle.png", "##"}) {
    EXPECT_EQ(text.find(dropped), std::string::npos) << dropped;
  }
}

TEST(DocumentExtractor, ExtensionOnlyDecidesBetweenMarkdownAndText) {
  const std::string content = "# Notes\n\n" + kFact + "\n";
  EXPECT_EQ(extract(content, "notes.md").document().detected_type, "markdown");
  EXPECT_EQ(extract(content, "notes.txt").document().detected_type, "text");
  EXPECT_EQ(extract(content, "").document().detected_type, "text");
}

TEST(DocumentExtractor, PlainTextLosesBomAndCarriageReturnsAndSplitsPagesAtFormFeeds) {
  const auto result = extract("\xEF\xBB\xBFLine one\r\nLine two\rLine three\f" + kFact, "a.txt");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& pages = result.document().pages;
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].text, "Line one\nLine two\nLine three");
  EXPECT_EQ(pages[1].number, 2);
  EXPECT_EQ(pages[1].text, kFact);
}

TEST(DocumentExtractor, NoTextAtAllIsEmpty) {
  for (const std::string& input : {std::string(), std::string(" \n\t\r\n"),
                                   std::string("\xEF\xBB\xBF\n"), std::string("<p> </p>")}) {
    expect_error(extract(input, "blank.txt"), ExtractionErrorKind::empty,
                 "the document contains no text");
  }
  expect_error(extract(make_docx({"", " "}), "blank.docx"), ExtractionErrorKind::empty,
               "the document contains no text");
}

TEST(DocumentExtractor, BinaryThatIsNotUtf8IsUnsupported) {
  expect_error(extract(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "photo.txt"),
               ExtractionErrorKind::unsupported_type, "PNG image");
  expect_error(extract("caf\xE9 au lait \xFF\xFE", "latin1.txt"),
               ExtractionErrorKind::unsupported_type, "not UTF-8 text");
  expect_error(extract(std::string("text\0with nul", 13), "n.txt"),
               ExtractionErrorKind::unsupported_type, "not UTF-8 text");
}

TEST(DocumentExtractor, PasswordProtectedWordFileIsEncrypted) {
  // Encrypted OOXML is an OLE container with an "EncryptedPackage" stream (UTF-16 name).
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole.append(512, '\0');
  for (const char c : std::string("EncryptedPackage")) ole += std::string{c, '\0'};
  expect_error(extract(ole, "secret.docx"), ExtractionErrorKind::encrypted, "password-protected");
}

TEST(DocumentExtractor, InputOverTheSizeLimitIsTooLarge) {
  expect_error(extract(std::string(2048, 'a'), "big.txt", {.max_input_bytes = 1024}),
               ExtractionErrorKind::too_large, "the limit is 1024");
}

TEST(DocumentExtractor, MangledPdfBytesNeverCrash) {
  const std::string pdf = make_pdf(three_page_manual());
  for (std::size_t i = 9; i < pdf.size(); i += 13) {
    std::string mangled = pdf;
    mangled[i] = static_cast<char>(mangled[i] ^ 0x5A);
    const auto result = extract(mangled, "m.pdf");
    if (result.ok()) {
      EXPECT_EQ(result.document().detected_type, "pdf");
    }
  }
}

}  // namespace
}  // namespace companion
