#pragma once
// Search services hand back short texts with a little HTML in them: MediaWiki marks the
// matched words (<span class="searchmatch">Ada</span>) and escapes quotes (&quot;), and some
// web engines leave <b> or &amp; in their summaries. A model and a user want the words only.
#include <string>
#include <string_view>

namespace companion::providers {

// The text without tags, with character references decoded and runs of whitespace folded
// into one space. A '<' that does not start a tag ("a < b") is kept as text, as is an
// escaped one ("&lt;b&gt;" reads "<b>").
std::string plain_text_from_markup(std::string_view markup);

}  // namespace companion::providers
