#include "store/sqlite/database.hpp"

#include <sqlite3.h>

namespace companion::store::sqlite {

namespace {

constexpr int busy_timeout_ms = 5000;

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw DatabaseError(message, db ? sqlite3_extended_errcode(db) : code);
}

}  // namespace

bool DatabaseError::is_unique_violation() const {
  return code_ == SQLITE_CONSTRAINT_UNIQUE || code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, "step");
}

void Statement::run() {
  while (step()) {
  }
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

Connection::Connection(const std::string& path, bool read_only) {
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database " + path;
    if (db_) {
      message += ": ";
      message += sqlite3_errmsg(db_);
      sqlite3_close(db_);
    }
    throw DatabaseError(message, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  exec("PRAGMA foreign_keys = ON");
  if (!read_only) exec("PRAGMA journal_mode = WAL");
  // FULL: WAL is synced on every commit, so an acknowledged write is on disk.
  exec("PRAGMA synchronous = FULL");
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw DatabaseError("exec failed: " + message, sqlite3_extended_errcode(db_));
  }
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(it->second, db_);
}

std::int64_t Connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int Connection::changes() const {
  return sqlite3_changes(db_);
}

bool Connection::table_exists(std::string_view name) {
  auto st = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  st.bind(1, name);
  return st.step();
}

Database::Database(std::string path, std::size_t readers)
    : path_(std::move(path)), reader_limit_(readers == 0 ? 1 : readers) {
  writer_ = std::make_unique<Connection>(path_, false);
  group_ = std::make_unique<GroupCommit>(*writer_);
}

Database::~Database() = default;

void Database::commit(WriteJob& job) {
  group_->run(job);
  if (job.error) std::rethrow_exception(job.error);
}

Database::Lease::Lease(Database& d) : db(d) {
  std::unique_lock lock(db.readers_mutex_);
  db.reader_returned_.wait(
      lock, [&] { return !db.idle_readers_.empty() || db.readers_open_ < db.reader_limit_; });
  if (!db.idle_readers_.empty()) {
    connection = std::move(db.idle_readers_.back());
    db.idle_readers_.pop_back();
    return;
  }
  ++db.readers_open_;
  lock.unlock();
  try {
    connection = std::make_unique<Connection>(db.path_, true);
  } catch (...) {
    std::lock_guard relock(db.readers_mutex_);
    --db.readers_open_;
    db.reader_returned_.notify_one();
    throw;
  }
}

Database::Lease::~Lease() {
  std::lock_guard lock(db.readers_mutex_);
  db.idle_readers_.push_back(std::move(connection));
  db.reader_returned_.notify_one();
}

}  // namespace companion::store::sqlite
