#include <exception>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/error.hpp"
#include "net/connection.hpp"

namespace companion::net {

namespace {

struct OffloadOp {
  core::TaskExecutor& pool;
  std::function<http::Response()> work;
  asio::any_io_executor home;

  template <class Handler>
  void operator()(Handler handler) {
    // The completion handler is move-only; the pool takes copyable tasks.
    auto shared = std::make_shared<Handler>(std::move(handler));
    auto home_ex = home;
    bool queued = pool.try_post([shared, work = std::move(work), home_ex]() mutable {
      std::optional<http::Response> result;
      try {
        result = work();
      } catch (...) {
        // Applications answer errors themselves; an escape is a bug, answered as 500.
        result = http::error_response(500, "Internal server error");
      }
      asio::post(home_ex, [shared, result = std::move(result)]() mutable {
        (*shared)(std::move(result));
      });
    });
    if (!queued) {
      asio::post(home_ex, [shared]() mutable { (*shared)(std::optional<http::Response>()); });
    }
  }
};

}  // namespace

asio::awaitable<std::optional<http::Response>> offload(core::TaskExecutor& pool,
                                                       std::function<http::Response()> work) {
  auto home = co_await asio::this_coro::executor;
  OffloadOp op{pool, std::move(work), home};
  auto result = co_await asio::async_initiate<decltype(asio::use_awaitable),
                                              void(std::optional<http::Response>)>(
      std::move(op), asio::use_awaitable);
  co_return result;
}

}  // namespace companion::net
