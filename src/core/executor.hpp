#pragma once
// Where blocking work runs. The network threads never block; anything that touches a
// disk, a model or a codec is handed to an executor (the bounded worker pool).
#include <functional>

namespace companion::core {

class TaskExecutor {
 public:
  virtual ~TaskExecutor() = default;
  // Queues a task; false when the queue bound is reached (callers answer 503).
  virtual bool try_post(std::function<void()> task) = 0;
};

}  // namespace companion::core
