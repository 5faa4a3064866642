// Encyclopedia lookups through the MediaWiki Action API against a local service that answers
// as Wikipedia does: the search, then the introduction of the best match; snippets read as
// plain text; titles and queries encoded on the way out; API refusals, error statuses,
// broken bodies, stalls and cancellation turned into errors that say what failed.
#include "providers/search/mediawiki_search.hpp"

#include <gtest/gtest.h>

#include <future>

#include "support/fake_search_service.hpp"

using namespace std::chrono_literals;
using companion::core::CancellationToken;
using companion::core::EncyclopediaLookup;
using companion::core::SearchError;
using companion::providers::MediaWikiOptions;
using companion::providers::MediaWikiSearch;
using companion::providers::wiki_article_url;
using companion::testing::FakeConnection;
using companion::testing::FakeHttpServer;
using companion::testing::FakeSearchService;
using companion::testing::json_response;
using Kind = SearchError::Kind;

namespace {

// Wikipedia's answer to list=search for "Ada Lovelace" (srprop=snippet), trimmed to three hits.
const std::string kSearchAnswer = R"json({
  "batchcomplete": "",
  "continue": {"sroffset": 3, "continue": "-||"},
  "query": {
    "searchinfo": {"totalhits": 2841},
    "search": [
      {"ns": 0, "title": "Ada Lovelace", "pageid": 974,
       "snippet": "Augusta <span class=\"searchmatch\">Ada</span> King, Countess of <span class=\"searchmatch\">Lovelace</span> (née Byron; 10 December 1815 – 27 November 1852) was an English mathematician"},
      {"ns": 0, "title": "Ada (programming language)", "pageid": 1242,
       "snippet": "named after <span class=\"searchmatch\">Ada</span> <span class=\"searchmatch\">Lovelace</span> &quot;the first programmer&quot; &amp; a pioneer"},
      {"ns": 0, "title": "Lovelace's notes on the Analytical Engine", "pageid": 60437,
       "snippet": "Note G by <span class=\"searchmatch\">Ada</span> <span class=\"searchmatch\">Lovelace</span> describes an algorithm"}
    ]
  }
})json";

// Its answer to prop=extracts|info&inprop=url for the best title.
const std::string kExtractAnswer = R"({
  "batchcomplete": "",
  "query": {
    "pages": {
      "974": {
        "pageid": 974, "ns": 0, "title": "Ada Lovelace", "contentmodel": "wikitext",
        "pagelanguage": "en", "pagelanguagehtmlcode": "en", "pagelanguagedir": "ltr",
        "touched": "2024-05-01T10:12:44Z", "lastrevid": 1221234567, "length": 82911,
        "fullurl": "https://en.wikipedia.org/wiki/Ada_Lovelace",
        "editurl": "https://en.wikipedia.org/w/index.php?title=Ada_Lovelace&action=edit",
        "canonicalurl": "https://en.wikipedia.org/wiki/Ada_Lovelace",
        "extract": "Augusta Ada King, Countess of Lovelace (née Byron; 10 December 1815 – 27 November 1852) was an English mathematician and writer chiefly known for her work on Charles Babbage's proposed mechanical general-purpose computer, the Analytical Engine. She was the first to recognise that the machine had applications beyond pure calculation.\nLovelace was the only legitimate child of poet Lord Byron and reformer Anne Isabella Milbanke."
      }
    }
  }
})";

// The wiki's answer for a search request or an extract request, by what the target asks.
std::string wikipedia(const std::string& target) {
  if (target.find("list=search") != std::string::npos) return json_response(kSearchAnswer);
  if (target.find("prop=extracts") != std::string::npos) return json_response(kExtractAnswer);
  return json_response(R"({"error":{"code":"badvalue","info":"Unrecognized value."}})");
}

MediaWikiOptions options_for(const std::string& api_url, std::chrono::milliseconds timeout = 5s) {
  MediaWikiOptions options;
  options.api_url = api_url;
  options.timeout = timeout;
  return options;
}

template <class Call>
SearchError failure_of(Call call) {
  try {
    call();
  } catch (const SearchError& error) {
    return error;
  }
  ADD_FAILURE() << "the lookup succeeded";
  return SearchError(Kind::bad_response, "");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The value of `name` in a request target's query string, as sent (still encoded).
std::string parameter(const std::string& target, const std::string& name) {
  auto start = target.find("?" + name + "=");
  if (start == std::string::npos) start = target.find("&" + name + "=");
  if (start == std::string::npos) return "<absent>";
  start += name.size() + 2;
  return target.substr(start, target.find('&', start) - start);
}

}  // namespace

TEST(MediaWikiSearch, ReadsTheIntroductionOfTheBestMatchWithItsAddress) {
  FakeSearchService service(wikipedia);
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  EncyclopediaLookup lookup = wiki.look_up("Ada Lovelace", 2, {});
  ASSERT_TRUE(lookup.article.has_value());
  EXPECT_EQ(lookup.article->title, "Ada Lovelace");
  EXPECT_TRUE(lookup.article->extract.starts_with(
      "Augusta Ada King, Countess of Lovelace (née Byron; 10 December 1815 – 27 November 1852) "
      "was an English mathematician"));
  EXPECT_EQ(lookup.article->url, "https://en.wikipedia.org/wiki/Ada_Lovelace");
}

TEST(MediaWikiSearch, OtherMatchesComeWithPlainSnippetsAndAddressesOnTheWikisHost) {
  FakeSearchService service(wikipedia);
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto lookup = wiki.look_up("Ada Lovelace", 2, {});
  ASSERT_EQ(lookup.other_matches.size(), 2u);
  EXPECT_EQ(lookup.other_matches[0].title, "Ada (programming language)");
  EXPECT_EQ(lookup.other_matches[0].snippet,
            "named after Ada Lovelace \"the first programmer\" & a pioneer");
  EXPECT_EQ(lookup.other_matches[0].url, service.url("/wiki/Ada_(programming_language)"));
  EXPECT_EQ(lookup.other_matches[1].url,
            service.url("/wiki/Lovelace%27s_notes_on_the_Analytical_Engine"));
}

TEST(MediaWikiSearch, AsksForTheSearchThenForTheBestTitlesIntroduction) {
  FakeSearchService service(wikipedia);
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  wiki.look_up("Ada Lovelace", 4, {});
  auto seen = service.requests();
  ASSERT_EQ(seen.size(), 2u);
  const std::string& search = seen[0].target;
  EXPECT_TRUE(search.starts_with("/w/api.php?")) << search;
  EXPECT_EQ(parameter(search, "action"), "query");
  EXPECT_EQ(parameter(search, "list"), "search");
  EXPECT_EQ(parameter(search, "srsearch"), "Ada%20Lovelace");
  EXPECT_EQ(parameter(search, "srlimit"), "5");
  EXPECT_EQ(parameter(search, "format"), "json");
  const std::string& extract = seen[1].target;
  EXPECT_EQ(parameter(extract, "prop"), "extracts%7Cinfo");
  EXPECT_EQ(parameter(extract, "exintro"), "1");
  EXPECT_EQ(parameter(extract, "explaintext"), "1");
  EXPECT_EQ(parameter(extract, "redirects"), "1");
  EXPECT_EQ(parameter(extract, "titles"), "Ada%20Lovelace");
  // Wikimedia asks clients to say who they are.
  EXPECT_TRUE(seen[0].user_agent.starts_with("companion/")) << seen[0].user_agent;
  EXPECT_TRUE(contains(seen[0].user_agent, "companion server")) << seen[0].user_agent;
}

TEST(MediaWikiSearch, TheQueryIsEncodedSpacesAmpersandsAndAllAndNothingIsInjected) {
  FakeSearchService service(wikipedia);
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  wiki.look_up("Gödel & Escher + Bach&action=delete", 0, {});
  auto seen = service.requests();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(parameter(seen[0].target, "srsearch"),
            "G%C3%B6del%20%26%20Escher%20%2B%20Bach%26action%3Ddelete");
  EXPECT_EQ(parameter(seen[0].target, "action"), "query");
}

TEST(MediaWikiSearch, NoMatchReadsNothingFurther) {
  FakeSearchService service([](const std::string&) {
    return json_response(R"({"batchcomplete":"","query":{"searchinfo":{"totalhits":0},)"
                         R"("search":[]}})");
  });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto lookup = wiki.look_up("xqzzv qqq", 4, {});
  EXPECT_FALSE(lookup.article.has_value());
  EXPECT_TRUE(lookup.other_matches.empty());
  EXPECT_EQ(service.requests().size(), 1u);
}

TEST(MediaWikiSearch, AFollowedRedirectGivesTheArticlesOwnTitle) {
  FakeSearchService service([](const std::string& target) {
    if (target.find("list=search") != std::string::npos)
      return json_response(R"({"query":{"search":[{"ns":0,"title":"Lovelace, Ada",)"
                           R"("pageid":5,"snippet":"redirect"}]}})");
    return json_response(
        R"({"batchcomplete":"","query":{"redirects":[{"from":"Lovelace, Ada","to":"Ada Lovelace"}],)"
        R"("pages":{"974":{"pageid":974,"ns":0,"title":"Ada Lovelace","extract":"Augusta Ada )"
        R"(King was an English mathematician."}}}})");
  });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto lookup = wiki.look_up("Lovelace, Ada", 0, {});
  ASSERT_TRUE(lookup.article.has_value());
  EXPECT_EQ(lookup.article->title, "Ada Lovelace");
  // Without a URL from the wiki, the address is built on the API's host.
  EXPECT_EQ(lookup.article->url, service.url("/wiki/Ada_Lovelace"));
}

TEST(MediaWikiSearch, PagesListedAsAnArrayAreReadToo) {
  FakeSearchService service([](const std::string& target) {
    if (target.find("list=search") != std::string::npos) return json_response(kSearchAnswer);
    return json_response(
        R"({"batchcomplete":true,"query":{"pages":[{"pageid":974,"ns":0,"title":"Ada Lovelace",)"
        R"("extract":"Augusta Ada King was an English mathematician.",)"
        R"("canonicalurl":"https://en.wikipedia.org/wiki/Ada_Lovelace"}]}})");
  });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto lookup = wiki.look_up("Ada Lovelace", 0, {});
  ASSERT_TRUE(lookup.article.has_value());
  EXPECT_EQ(lookup.article->extract, "Augusta Ada King was an English mathematician.");
}

TEST(MediaWikiSearch, AWikiWithoutExtractsStillGivesTheMatchesSnippet) {
  FakeSearchService service([](const std::string& target) {
    if (target.find("list=search") != std::string::npos) return json_response(kSearchAnswer);
    return json_response(
        R"({"warnings":{"main":{"*":"Unrecognized value for parameter \"prop\": extracts."}},)"
        R"("query":{"pages":{"974":{"pageid":974,"ns":0,"title":"Ada Lovelace"}}}})");
  });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto lookup = wiki.look_up("Ada Lovelace", 0, {});
  ASSERT_TRUE(lookup.article.has_value());
  EXPECT_TRUE(lookup.article->extract.starts_with("Augusta Ada King, Countess of Lovelace"));
  EXPECT_FALSE(contains(lookup.article->extract, "<span"));
}

TEST(MediaWikiSearch, AnApiRefusalIsAnErrorWithTheWikisReason) {
  FakeSearchService service([](const std::string&) {
    return json_response(
        R"({"error":{"code":"maxlag","info":"Waiting for 10.64.16.8: 7 seconds lagged.",)"
        R"("*":"See https://en.wikipedia.org/w/api.php for API usage."},"servedby":"mw1"})");
  });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto error = failure_of([&] { wiki.look_up("Ada Lovelace", 2, {}); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_EQ(std::string(error.what()),
            "Wikipedia refused the request: Waiting for 10.64.16.8: 7 seconds lagged.");
}

TEST(MediaWikiSearch, AServerErrorSaysWhichStatusCameBack) {
  FakeSearchService service([](const std::string&) {
    return json_response("upstream connect error", 503, "Service Unavailable");
  });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto error = failure_of([&] { wiki.look_up("Ada Lovelace", 2, {}); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_EQ(std::string(error.what()), "Wikipedia answered HTTP 503");
}

TEST(MediaWikiSearch, MalformedJsonIsABadResponse) {
  FakeSearchService service(
      [](const std::string&) { return json_response(R"({"query":{"search":[{"title":)"); });
  MediaWikiSearch wiki(options_for(service.url("/w/api.php")));
  auto error = failure_of([&] { wiki.look_up("Ada Lovelace", 2, {}); });
  EXPECT_EQ(error.kind(), Kind::bad_response);
}

TEST(MediaWikiSearch, AStallInTheSecondRequestEndsAtTheTimeoutOfTheWholeLookup) {
  FakeHttpServer wiki_server([](FakeConnection& c) {
    if (c.target().find("list=search") != std::string::npos) {
      c.send(json_response(kSearchAnswer));
    } else {
      c.wait_for_close();
    }
  });
  MediaWikiSearch wiki(options_for(wiki_server.url("/w/api.php"), 400ms));
  auto start = std::chrono::steady_clock::now();
  auto error = failure_of([&] { wiki.look_up("Ada Lovelace", 2, {}); });
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(error.kind(), Kind::timeout) << error.what();
  EXPECT_EQ(std::string(error.what()), "Wikipedia did not answer within 400 ms");
  EXPECT_LT(elapsed, 2000ms);
}

TEST(MediaWikiSearch, CancellingStopsTheRequest) {
  std::promise<void> asked;
  std::promise<bool> closed;
  FakeHttpServer stalled([&](FakeConnection& c) {
    asked.set_value();
    closed.set_value(c.wait_for_close(5s));
  });
  MediaWikiSearch wiki(options_for(stalled.url("/w/api.php"), 30s));
  CancellationToken token;
  auto call = std::async(std::launch::async,
                         [&] { return failure_of([&] { wiki.look_up("Ada", 2, token); }); });
  asked.get_future().wait();
  token.cancel();
  EXPECT_EQ(call.get().kind(), Kind::cancelled);
  EXPECT_TRUE(closed.get_future().get());
  EXPECT_EQ(stalled.connections(), 1);
}

TEST(MediaWikiSearch, ArticleAddressesAreEncodedAsTheWikiEncodesThem) {
  EXPECT_EQ(wiki_article_url("https://en.wikipedia.org", "Ada Lovelace"),
            "https://en.wikipedia.org/wiki/Ada_Lovelace");
  EXPECT_EQ(wiki_article_url("https://en.wikipedia.org", "C++"),
            "https://en.wikipedia.org/wiki/C%2B%2B");
  EXPECT_EQ(wiki_article_url("https://de.wikipedia.org", "Gödel's theorem (logic), part 1/2"),
            "https://de.wikipedia.org/wiki/G%C3%B6del%27s_theorem_(logic),_part_1/2");
  EXPECT_EQ(wiki_article_url("https://en.wikipedia.org", "AT&T"),
            "https://en.wikipedia.org/wiki/AT%26T");
  MediaWikiSearch wiki(options_for("https://en.wikipedia.org/w/api.php"));
  EXPECT_EQ(wiki.article_url("Tour Montparnasse"),
            "https://en.wikipedia.org/wiki/Tour_Montparnasse");
}

TEST(MediaWikiSearch, AnApiUrlThatIsNotAWebAddressIsRefused) {
  EXPECT_THROW(MediaWikiSearch(options_for("ftp://example.org/api.php")), std::invalid_argument);
  EXPECT_THROW(MediaWikiSearch(options_for("not a url")), std::invalid_argument);
}
