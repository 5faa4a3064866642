#include <gtest/gtest.h>

#include "http/router.hpp"

using namespace companion::http;

namespace {

Route make(Method m, std::string pattern) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.handler = [](Request&) { return Response{}; };
  return r;
}

}  // namespace

TEST(Router, TrailingSlashIsADifferentRoute) {
  Router router;
  router.add(make(Method::Get, "/api/sessions"));
  router.add(make(Method::Post, "/api/sessions/"));
  auto a = router.match(Method::Get, "/api/sessions");
  ASSERT_NE(a.route, nullptr);
  EXPECT_EQ(a.route->pattern, "/api/sessions");
  auto b = router.match(Method::Post, "/api/sessions/");
  ASSERT_NE(b.route, nullptr);
  EXPECT_EQ(b.route->pattern, "/api/sessions/");
  // GET /api/sessions/ exists only as POST: 405, not a silent rewrite.
  auto c = router.match(Method::Get, "/api/sessions/");
  EXPECT_EQ(c.route, nullptr);
  ASSERT_EQ(c.allowed.size(), 1u);
  EXPECT_EQ(c.allowed[0], Method::Post);
}

TEST(Router, ExtractsTypedParameters) {
  Router router;
  router.add(make(Method::Get, "/v1/sessions/{session_id}/messages"));
  auto m = router.match(Method::Get, "/v1/sessions/abc-1/messages");
  ASSERT_NE(m.route, nullptr);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "session_id");
  EXPECT_EQ(m.params[0].second, "abc-1");
  EXPECT_EQ(router.match(Method::Get, "/v1/sessions//messages").route, nullptr);
}

TEST(Router, LiteralSegmentsWinOverParameters) {
  Router router;
  router.add(make(Method::Delete, "/api/memory/{memory_id}"));
  router.add(make(Method::Get, "/api/memory/stats"));
  auto stats = router.match(Method::Get, "/api/memory/stats");
  ASSERT_NE(stats.route, nullptr);
  EXPECT_EQ(stats.route->pattern, "/api/memory/stats");
  auto del = router.match(Method::Delete, "/api/memory/stats");
  ASSERT_NE(del.route, nullptr);
  EXPECT_EQ(del.route->pattern, "/api/memory/{memory_id}");
}

TEST(Router, HeadIsAnsweredByGet) {
  Router router;
  router.add(make(Method::Get, "/health"));
  EXPECT_NE(router.match(Method::Head, "/health").route, nullptr);
}

TEST(Router, RejectsDuplicatesAndMalformedTemplates) {
  Router router;
  router.add(make(Method::Get, "/a/{id}"));
  EXPECT_THROW(router.add(make(Method::Get, "/a/{id}")), std::invalid_argument);
  EXPECT_THROW(router.add(make(Method::Get, "a")), std::invalid_argument);
  EXPECT_THROW(router.add(make(Method::Get, "/a/{x")), std::invalid_argument);
}
