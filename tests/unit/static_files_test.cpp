// The file responder as a client meets it: ranges, validators and path confinement.
#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/test_server.hpp"

using namespace companion::http;
using companion::testing::TempDir;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

Request get_request() {
  Request r;
  r.method = Method::Get;
  return r;
}

}  // namespace

TEST(StaticFilesRange, ClosedRange) {
  auto r = parse_range("bytes=0-9", 100);
  ASSERT_EQ(r.kind, RangeRequest::Kind::Partial);
  EXPECT_EQ(r.range.offset, 0u);
  EXPECT_EQ(r.range.length, 10u);
}

TEST(StaticFilesRange, LastByteBeyondEndIsClamped) {
  auto r = parse_range("bytes=90-500", 100);
  ASSERT_EQ(r.kind, RangeRequest::Kind::Partial);
  EXPECT_EQ(r.range.offset, 90u);
  EXPECT_EQ(r.range.length, 10u);
}

TEST(StaticFilesRange, OpenEndedRange) {
  auto r = parse_range("bytes=40-", 100);
  ASSERT_EQ(r.kind, RangeRequest::Kind::Partial);
  EXPECT_EQ(r.range.offset, 40u);
  EXPECT_EQ(r.range.length, 60u);
}

TEST(StaticFilesRange, SuffixRange) {
  auto r = parse_range("bytes=-10", 100);
  ASSERT_EQ(r.kind, RangeRequest::Kind::Partial);
  EXPECT_EQ(r.range.offset, 90u);
  EXPECT_EQ(r.range.length, 10u);
}

TEST(StaticFilesRange, SuffixLongerThanFileIsWholeFile) {
  auto r = parse_range("bytes=-1000", 100);
  ASSERT_EQ(r.kind, RangeRequest::Kind::Partial);
  EXPECT_EQ(r.range.offset, 0u);
  EXPECT_EQ(r.range.length, 100u);
}

TEST(StaticFilesRange, StartAtOrBeyondEndIsUnsatisfiable) {
  EXPECT_EQ(parse_range("bytes=100-", 100).kind, RangeRequest::Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=100-200", 100).kind, RangeRequest::Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 100).kind, RangeRequest::Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, RangeRequest::Kind::Unsatisfiable);
}

TEST(StaticFilesRange, MalformedOrUnsupportedIsIgnored) {
  for (const char* header : {"bytes=", "bytes=abc", "bytes=5-2", "items=0-5", "bytes=0-1,5-6",
                             "bytes=-", "bytes=1-x", "bytes=99999999999999999999-"})
    EXPECT_EQ(parse_range(header, 100).kind, RangeRequest::Kind::Whole) << header;
}

TEST(StaticFilesRange, ToleratesCaseAndSpaces) {
  auto r = parse_range("  Bytes= 5 - 6 ", 100);
  ASSERT_EQ(r.kind, RangeRequest::Kind::Partial);
  EXPECT_EQ(r.range.offset, 5u);
  EXPECT_EQ(r.range.length, 2u);
}

TEST(StaticFilesResolve, FindsFilesInsideTheRoot) {
  TempDir dir;
  write_file(dir.path() / "a" / "b.txt", "hello");
  auto resolved = resolve_under(dir.path(), "a/b.txt");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->filename(), "b.txt");
}

TEST(StaticFilesResolve, RefusesTraversalAbsoluteNulAndFolders) {
  TempDir dir;
  write_file(dir.path() / "root" / "inside.txt", "in");
  write_file(dir.path() / "secret.txt", "out");
  auto root = dir.path() / "root";
  EXPECT_FALSE(resolve_under(root, "../secret.txt"));
  EXPECT_FALSE(resolve_under(root, "x/../../secret.txt"));
  EXPECT_FALSE(resolve_under(root, "..\\secret.txt"));
  EXPECT_FALSE(resolve_under(root, (dir.path() / "secret.txt").string()));
  EXPECT_FALSE(resolve_under(root, std::string("inside.txt\0.png", 15)));
  EXPECT_FALSE(resolve_under(root, ""));
  EXPECT_FALSE(resolve_under(root, "."));
  EXPECT_FALSE(resolve_under(root, "missing.txt"));
  EXPECT_TRUE(resolve_under(root, "./inside.txt"));
}

TEST(StaticFilesResolve, RefusesSymlinksPointingOutside) {
  TempDir dir;
  write_file(dir.path() / "root" / "inside.txt", "in");
  write_file(dir.path() / "secret.txt", "out");
  auto root = dir.path() / "root";
  fs::create_symlink(dir.path() / "secret.txt", root / "link.txt");
  fs::create_directory_symlink(dir.path(), root / "up");
  fs::create_symlink(root / "inside.txt", root / "alias.txt");
  EXPECT_FALSE(resolve_under(root, "link.txt"));
  EXPECT_FALSE(resolve_under(root, "up/secret.txt"));
  EXPECT_TRUE(resolve_under(root, "alias.txt"));  // a link that stays inside is fine
}

TEST(StaticFilesResolve, SiblingWithSharedPrefixIsOutside) {
  TempDir dir;
  write_file(dir.path() / "assets" / "a.txt", "a");
  write_file(dir.path() / "assets-old" / "b.txt", "b");
  fs::create_directory_symlink(dir.path() / "assets-old", dir.path() / "assets" / "old");
  EXPECT_FALSE(resolve_under(dir.path() / "assets", "old/b.txt"));
}

TEST(StaticFilesServe, WholeFileHasLengthTypeAndValidators) {
  TempDir dir;
  write_file(dir.path() / "style.css", "body{}");
  auto res = serve_file(dir.path(), "style.css", get_request());
  EXPECT_EQ(res.status, 200);
  ASSERT_TRUE(res.file);
  EXPECT_EQ(res.file->offset, 0u);
  EXPECT_EQ(res.file->length, 6u);
  EXPECT_EQ(res.headers.value_or("Content-Type", ""), "text/css; charset=utf-8");
  EXPECT_EQ(res.headers.value_or("Accept-Ranges", ""), "bytes");
  EXPECT_FALSE(res.headers.value_or("ETag", "").empty());
  EXPECT_FALSE(res.headers.value_or("Last-Modified", "").empty());
}

TEST(StaticFilesServe, RangeGives206WithContentRange) {
  TempDir dir;
  write_file(dir.path() / "data.bin", "0123456789");
  auto req = get_request();
  req.headers.set("Range", "bytes=2-4");
  auto res = serve_file(dir.path(), "data.bin", req);
  EXPECT_EQ(res.status, 206);
  ASSERT_TRUE(res.file);
  EXPECT_EQ(res.file->offset, 2u);
  EXPECT_EQ(res.file->length, 3u);
  EXPECT_EQ(res.headers.value_or("Content-Range", ""), "bytes 2-4/10");
}

TEST(StaticFilesServe, UnsatisfiableRangeIs416WithSize) {
  TempDir dir;
  write_file(dir.path() / "data.bin", "0123456789");
  auto req = get_request();
  req.headers.set("Range", "bytes=10-");
  auto res = serve_file(dir.path(), "data.bin", req);
  EXPECT_EQ(res.status, 416);
  EXPECT_FALSE(res.file);
  EXPECT_EQ(res.headers.value_or("Content-Range", ""), "bytes */10");
}

TEST(StaticFilesServe, MatchingEtagIs304) {
  TempDir dir;
  write_file(dir.path() / "a.js", "x()");
  auto first = serve_file(dir.path(), "a.js", get_request());
  auto req = get_request();
  req.headers.set("If-None-Match",
                  std::string("\"other\", ") + std::string(first.headers.value_or("ETag", "")));
  auto again = serve_file(dir.path(), "a.js", req);
  EXPECT_EQ(again.status, 304);
  EXPECT_FALSE(again.file);
  req.headers.set("If-None-Match", "\"stale\"");
  EXPECT_EQ(serve_file(dir.path(), "a.js", req).status, 200);
}

TEST(StaticFilesServe, IfRangeWithStaleEtagServesWholeFile) {
  TempDir dir;
  write_file(dir.path() / "a.bin", "0123456789");
  auto req = get_request();
  req.headers.set("Range", "bytes=0-1");
  req.headers.set("If-Range", "\"stale\"");
  auto res = serve_file(dir.path(), "a.bin", req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.file->length, 10u);
}

TEST(StaticFilesServe, EscapesAre404) {
  TempDir dir;
  write_file(dir.path() / "root" / "a.txt", "a");
  write_file(dir.path() / "secret.txt", "s");
  auto res = serve_file(dir.path() / "root", "../secret.txt", get_request());
  EXPECT_EQ(res.status, 404);
  EXPECT_FALSE(res.file);
}

TEST(StaticFilesTypes, ByExtension) {
  EXPECT_EQ(content_type_for("x/redoc.standalone.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("song.MP3"), "audio/mpeg");
  EXPECT_EQ(content_type_for("icon.png"), "image/png");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
}

TEST(StaticFilesDates, RoundTrip) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(parse_http_date("yesterday"));
}
