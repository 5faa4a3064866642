#pragma once
// Group commit for the single writer connection. Every acknowledged write is synced to disk
// (synchronous=FULL), and a sync costs milliseconds; writers that arrive while one batch is
// committing are gathered into the next, so that many turns share one transaction and one
// sync instead of queueing for one each. Each write runs in its own savepoint, so one that
// fails is rolled back alone and the others of its batch still commit.
//
// No thread of its own: the first waiting writer that finds no batch running commits the
// batch (its own write and everyone queued behind it), then hands over.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace companion::store::sqlite {

class Connection;

struct WriteJob {
  std::function<void(Connection&)> work;
  std::exception_ptr error;  // set when the write or its batch's commit failed
  bool done = false;
};

class GroupCommit {
 public:
  explicit GroupCommit(Connection& writer) : writer_(writer) {}

  // Returns once the job is committed or has failed (job.error); never throws itself.
  void run(WriteJob& job);

  // Transactions committed, writes they held, and writes waiting for the next one.
  std::size_t batches() const;
  std::size_t writes() const;
  std::size_t queued() const;

 private:
  void commit_batch(const std::vector<WriteJob*>& batch) noexcept;
  void run_in_savepoint(WriteJob& job);
  void fail_all(const std::vector<WriteJob*>& batch, std::exception_ptr error) noexcept;
  void rollback() noexcept;

  Connection& writer_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::vector<WriteJob*> queued_;
  bool committing_ = false;
  std::size_t batches_ = 0;
  std::size_t writes_ = 0;
};

}  // namespace companion::store::sqlite
