#pragma once
// The embedded SQLite store: one writer connection whose writes are committed in groups
// (SQLite allows a single writer at a time anyway) and a small pool of reader connections that WAL
// lets run beside it. Every connection runs with foreign keys on, a busy timeout, and
// synchronous=FULL so that a write acknowledged to a client survives a crash or power cut.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/group_commit.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace companion::store::sqlite {

class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(std::string message, int code)
      : std::runtime_error(std::move(message)), code_(code) {}
  int code() const { return code_; }
  // A UNIQUE or PRIMARY KEY constraint refused the write.
  bool is_unique_violation() const;

 private:
  int code_;
};

// A prepared statement borrowed from a connection's cache; reset and unbound when the
// handle goes away, so it can be reused by the next caller.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  // Binds the bytes as a BLOB (text() reads them back unchanged).
  Statement& bind_blob(int index, std::string_view bytes);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row; false when done. Throws DatabaseError on failure.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
};

class Connection {
 public:
  Connection(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results (schema changes, pragmas).
  void exec(std::string_view sql);
  // A prepared statement from this connection's cache.
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  bool table_exists(std::string_view name);

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

class Database {
 public:
  // Opens (creating when missing) the database file; `readers` bounds the reader pool.
  explicit Database(std::string path, std::size_t readers = 4);
  ~Database();

  // Runs f(Connection&) on the writer connection and returns once what it wrote is
  // committed and synced; all of f's writes or none are kept. When f throws, its writes
  // are undone and the exception rethrown. Writes that arrive together may share one
  // transaction (group_commit.hpp), each in its own savepoint, so f must not begin or end
  // transactions itself.
  template <class F>
  auto write(F&& f) -> decltype(f(std::declval<Connection&>())) {
    using Result = decltype(f(std::declval<Connection&>()));
    if constexpr (std::is_void_v<Result>) {
      WriteJob job{[&](Connection& c) { f(c); }};
      commit(job);
    } else {
      std::optional<Result> result;
      WriteJob job{[&](Connection& c) { result.emplace(f(c)); }};
      commit(job);
      return std::move(*result);
    }
  }

  // Runs f(Connection&) on a pooled reader connection (a consistent WAL snapshot per
  // statement; wrap several reads in write() when they must agree).
  template <class F>
  auto read(F&& f) -> decltype(f(std::declval<Connection&>())) {
    Lease lease(*this);
    return f(*lease.connection);
  }

  const std::string& path() const { return path_; }
  // How writes were grouped into transactions.
  const GroupCommit& commits() const { return *group_; }

 private:
  struct Lease {
    explicit Lease(Database& db);
    ~Lease();
    Database& db;
    std::unique_ptr<Connection> connection;
  };
  void commit(WriteJob& job);

  std::string path_;
  std::size_t reader_limit_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<GroupCommit> group_;
  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  std::size_t readers_open_ = 0;
};

}  // namespace companion::store::sqlite
