#pragma once
// Text of a Markdown document, parsed with md4c (CommonMark + GitHub tables): headings and
// list items stay on their own lines, link and image URLs and raw HTML are dropped (the
// link text and alt text stay), code keeps its line breaks, entities are decoded. The
// first level-1 heading is the title.
#include <string_view>

#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

core::ExtractionResult extract_markdown(std::string_view utf8,
                                        const core::ExtractionLimits& limits);

}  // namespace companion::media
