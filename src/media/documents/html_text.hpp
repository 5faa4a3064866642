#pragma once
// Text of an HTML page: a tolerant scanner (no DOM) that drops <script>, <style>,
// comments and markup, decodes character references, takes <title> as the title and turns
// block elements into line and paragraph breaks. Unclosed tags, stray '<' and truncated
// input are read as browsers would, as far as text goes; the scan is linear.
#include <string_view>

#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

core::ExtractionResult extract_html(std::string_view utf8, const core::ExtractionLimits& limits);

}  // namespace companion::media
