// Writes that arrive while another is committing share the next transaction, and each
// keeps its own all-or-nothing outcome: one that fails takes nobody else's rows with it.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/database.hpp"
#include "support/test_server.hpp"

namespace {

using companion::store::sqlite::Connection;
using companion::store::sqlite::Database;
using companion::testing::TempDir;

void create_table(Database& db) {
  db.write([](Connection& c) { c.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"); });
}

void insert(Connection& c, const std::string& text) {
  c.prepare("INSERT INTO notes (text) VALUES (?1)").bind(1, text).run();
}

std::int64_t count(Database& db, const std::string& text) {
  return db.read([&](Connection& c) {
    auto st = c.prepare("SELECT COUNT(*) FROM notes WHERE text = ?1");
    st.bind(1, text);
    st.step();
    return st.int64(0);
  });
}

// Waits until `n` writes are queued behind the running batch.
void wait_until_queued(const Database& db, std::size_t n) {
  for (int i = 0; i < 1000 && db.commits().queued() < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(db.commits().queued(), n);
}

// A write that inserts "first" and then holds its batch open until finish(), so that the
// test can queue others behind it.
class HeldWrite {
 public:
  explicit HeldWrite(Database& db) {
    auto released = release_.get_future().share();
    thread_ = std::thread([&db, released, this] {
      db.write([&](Connection& c) {
        insert(c, "first");
        started_.set_value();
        released.wait();
      });
    });
    started_.get_future().wait();
  }
  void finish() {
    release_.set_value();
    thread_.join();
  }

 private:
  std::promise<void> started_;
  std::promise<void> release_;
  std::thread thread_;
};

TEST(GroupCommit, WritesArrivingDuringACommitShareTheNextTransaction) {
  TempDir dir;
  Database db((dir.path() / "g.db").string());
  create_table(db);
  auto before = db.commits().batches();

  HeldWrite first(db);
  constexpr int followers = 8;
  std::vector<std::thread> others;
  for (int i = 0; i < followers; ++i)
    others.emplace_back([&] { db.write([](Connection& c) { insert(c, "follower"); }); });
  wait_until_queued(db, followers);
  first.finish();
  for (auto& t : others) t.join();

  EXPECT_EQ(count(db, "first"), 1);
  EXPECT_EQ(count(db, "follower"), followers);
  // One transaction for the first write, one for all eight that waited behind it.
  EXPECT_EQ(db.commits().batches() - before, 2u);
}

TEST(GroupCommit, AFailingWriteIsUndoneAloneAndItsErrorReachesOnlyItsCaller) {
  TempDir dir;
  Database db((dir.path() / "g.db").string());
  create_table(db);

  HeldWrite first(db);

  std::promise<bool> failed;
  std::thread failing([&] {
    try {
      db.write([](Connection& c) {
        insert(c, "doomed");
        throw std::runtime_error("refused halfway");
      });
      failed.set_value(false);
    } catch (const std::runtime_error& e) {
      failed.set_value(std::string(e.what()) == "refused halfway");
    }
  });
  std::thread good([&] { db.write([](Connection& c) { insert(c, "kept"); }); });
  wait_until_queued(db, 2);
  first.finish();
  failing.join();
  good.join();

  EXPECT_TRUE(failed.get_future().get());
  EXPECT_EQ(count(db, "doomed"), 0);
  EXPECT_EQ(count(db, "kept"), 1);
  EXPECT_EQ(count(db, "first"), 1);
}

TEST(GroupCommit, AWriteReturnsItsValueOnceCommitted) {
  TempDir dir;
  Database db((dir.path() / "g.db").string());
  create_table(db);
  auto id = db.write([](Connection& c) {
    insert(c, "one");
    return c.last_insert_rowid();
  });
  EXPECT_GT(id, 0);
  // A reader on another connection sees it: it was committed before write() returned.
  EXPECT_EQ(count(db, "one"), 1);
}

}  // namespace
