#include "core/health/process_sampler.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace companion::core {

namespace {

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

double system_uptime_seconds() {
  std::istringstream in(read_text("/proc/uptime"));
  double uptime = 0;
  in >> uptime;
  return uptime;
}

// Entries in /proc/self/fd, less the one the directory listing itself holds open.
std::int64_t count_open_fds() {
  std::error_code ec;
  std::int64_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++count;
  return std::max<std::int64_t>(0, count - 1);
}

}  // namespace

std::optional<CpuTimes> ProcessSampler::parse_stat(const std::string& stat, double uptime_seconds,
                                                   long ticks_per_second) {
  // The command name (field 2) is in parentheses and may itself hold spaces or ')', so the
  // fields are counted from the last ')'. Field 3 (state) is the first one after it.
  auto close = stat.rfind(')');
  if (close == std::string::npos || ticks_per_second <= 0) return std::nullopt;
  std::istringstream in(stat.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  constexpr std::size_t kUtime = 14 - 3, kStime = 15 - 3, kThreads = 20 - 3, kStart = 22 - 3;
  if (fields.size() <= kStart) return std::nullopt;
  try {
    double ticks = static_cast<double>(ticks_per_second);
    CpuTimes t;
    t.cpu_seconds = (std::stod(fields[kUtime]) + std::stod(fields[kStime])) / ticks;
    t.threads = std::stoll(fields[kThreads]);
    t.process_age_seconds = std::max(0.0, uptime_seconds - std::stod(fields[kStart]) / ticks);
    return t;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::uint64_t> ProcessSampler::parse_kb_field(const std::string& text,
                                                            const std::string& field) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) != 0) continue;
    std::istringstream value(line.substr(field.size()));
    std::uint64_t kb = 0;
    if (value >> kb) return kb * 1024;
    return std::nullopt;
  }
  return std::nullopt;
}

ProcessUsage ProcessSampler::sample() {
  ProcessUsage usage;
  usage.cpu_cores = std::max(1u, std::thread::hardware_concurrency());
  auto now = std::chrono::steady_clock::now();

  if (auto cpu =
          parse_stat(read_text("/proc/self/stat"), system_uptime_seconds(), sysconf(_SC_CLK_TCK))) {
    double used = cpu->cpu_seconds, over = cpu->process_age_seconds;
    if (last_cpu_seconds_) {
      used = cpu->cpu_seconds - *last_cpu_seconds_;
      over = std::chrono::duration<double>(now - last_at_).count();
    }
    if (over > 0) {
      usage.cpu_percent = std::clamp(used / over * 100.0, 0.0, 100.0 * usage.cpu_cores);
      usage.cpu_percent_all_cores = usage.cpu_percent / usage.cpu_cores;
    }
    usage.sample_interval_seconds = over;
    usage.threads = cpu->threads;
    last_cpu_seconds_ = cpu->cpu_seconds;
    last_at_ = now;
  }

  usage.memory_rss_bytes = parse_kb_field(read_text("/proc/self/status"), "VmRSS:").value_or(0);
  usage.memory_total_bytes = parse_kb_field(read_text("/proc/meminfo"), "MemTotal:").value_or(0);
  if (usage.memory_total_bytes > 0)
    usage.memory_percent = 100.0 * static_cast<double>(usage.memory_rss_bytes) /
                           static_cast<double>(usage.memory_total_bytes);
  usage.open_fds = count_open_fds();
  return usage;
}

}  // namespace companion::core
