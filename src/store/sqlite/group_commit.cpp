#include "store/sqlite/group_commit.hpp"

#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

void GroupCommit::run(WriteJob& job) {
  std::unique_lock lock(mutex_);
  queued_.push_back(&job);
  while (!job.done) {
    if (committing_) {
      finished_.wait(lock);
      continue;
    }
    committing_ = true;
    std::vector<WriteJob*> batch;
    batch.swap(queued_);
    lock.unlock();
    commit_batch(batch);
    lock.lock();
    for (auto* j : batch) j->done = true;
    ++batches_;
    writes_ += batch.size();
    committing_ = false;
    finished_.notify_all();
  }
}

void GroupCommit::commit_batch(const std::vector<WriteJob*>& batch) noexcept {
  try {
    writer_.exec("BEGIN IMMEDIATE");
  } catch (...) {
    fail_all(batch, std::current_exception());
    return;
  }
  for (auto* job : batch) {
    try {
      run_in_savepoint(*job);
    } catch (...) {
      // The savepoint could not be undone: SQLite ended the whole transaction (a full
      // disk, an I/O error), so nothing of this batch was kept.
      rollback();
      fail_all(batch, std::current_exception());
      return;
    }
  }
  try {
    writer_.exec("COMMIT");
  } catch (...) {
    rollback();
    fail_all(batch, std::current_exception());
  }
}

void GroupCommit::run_in_savepoint(WriteJob& job) {
  writer_.exec("SAVEPOINT write_job");
  try {
    job.work(writer_);
  } catch (...) {
    job.error = std::current_exception();
    writer_.exec("ROLLBACK TO write_job");
  }
  writer_.exec("RELEASE write_job");
}

void GroupCommit::fail_all(const std::vector<WriteJob*>& batch, std::exception_ptr error) noexcept {
  for (auto* job : batch)
    if (!job->error) job->error = error;
}

void GroupCommit::rollback() noexcept {
  try {
    writer_.exec("ROLLBACK");
  } catch (...) {
    // SQLite already rolled back (e.g. after SQLITE_FULL); nothing more to undo.
  }
}

std::size_t GroupCommit::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::size_t GroupCommit::queued() const {
  std::lock_guard lock(mutex_);
  return queued_.size();
}

std::size_t GroupCommit::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

}  // namespace companion::store::sqlite
