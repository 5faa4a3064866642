#pragma once
// Decodes HTML character references (&amp; &#233; &#x1F600;) for the HTML and Markdown
// extractors. Covers the numeric forms fully and the named entities that occur in real
// documents; an unknown name stays as written, as browsers do.
#include <cstddef>
#include <string>
#include <string_view>

namespace companion::media {

// If `text[pos]` starts a character reference, appends its UTF-8 to `out` and returns the
// bytes consumed; returns 0 (appending nothing) when it does not.
std::size_t decode_html_entity(std::string_view text, std::size_t pos, std::string& out);

// Decodes every reference in `text`.
std::string decode_html_entities(std::string_view text);

}  // namespace companion::media
