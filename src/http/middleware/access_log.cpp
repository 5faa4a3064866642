#include "http/middleware/access_log.hpp"

#include <ctime>
#include <iterator>

#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/spdlog.h>

#include "http/route.hpp"

namespace companion::http {

namespace {

using Buffer = fmt::memory_buffer;

void append(Buffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

// A JSON string literal. Control bytes are escaped; other bytes pass as they are.
void append_json_string(Buffer& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7f) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(u));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// UTC with milliseconds, e.g. 2024-01-26T14:01:00.123Z.
void append_utc_now(Buffer& out) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  fmt::format_to(std::back_inserter(out), "\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z\"",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 static_cast<int>(ms % 1000));
}

}  // namespace

std::size_t response_bytes(const Response& res) {
  if (res.file) return static_cast<std::size_t>(res.file->length);
  return res.body.size();
}

AccessLog::AccessLog(spdlog::sink_ptr sink, std::size_t queue_lines)
    : pool_(std::make_shared<spdlog::details::thread_pool>(queue_lines, 1)),
      logger_(std::make_shared<spdlog::async_logger>(
          "access", std::move(sink), pool_, spdlog::async_overflow_policy::overrun_oldest)) {
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::info);
  // Flushing happens on the logger's own thread, so every line is visible promptly.
  logger_->flush_on(spdlog::level::info);
}

AccessLog::~AccessLog() {
  logger_.reset();
  pool_.reset();  // joins the writer thread after the queued lines
}

void AccessLog::log(const Request& req, int status, std::size_t bytes) {
  const double duration_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - req.received_at).count();
  Buffer line;  // inline storage: a typical line needs no heap allocation here
  append(line, "{\"time\":");
  append_utc_now(line);
  append(line, ",\"request_id\":");
  append_json_string(line, req.request_id);
  append(line, ",\"method\":");
  append_json_string(line, to_string(req.method));
  append(line, ",\"path\":");
  append_json_string(line, req.path);
  append(line, ",\"route\":");
  if (req.route) {
    append_json_string(line, req.route->pattern);
  } else {
    append(line, "null");
  }
  fmt::format_to(std::back_inserter(line), ",\"status\":{},\"duration_ms\":{:.3f},\"bytes\":{}",
                 status, duration_ms, bytes);
  append(line, ",\"user\":");
  if (req.principal) {
    append_json_string(line, req.principal->username);
  } else {
    append(line, "null");
  }
  append(line, ",\"remote_ip\":");
  append_json_string(line, req.remote_ip);
  line.push_back('}');
  logger_->info(std::string_view(line.data(), line.size()));
}

Response AccessLog::handle(Request& req, const Next& next) {
  try {
    Response res = next(req);
    log(req, res.status, response_bytes(res));
    return res;
  } catch (...) {
    log(req, 500, 0);
    throw;
  }
}

}  // namespace companion::http
