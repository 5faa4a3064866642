#pragma once
// Writes the Prometheus text exposition format, version 0.0.4.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace companion::http::metrics {

inline constexpr std::string_view prometheus_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

using Label = std::pair<std::string_view, std::string_view>;

class PrometheusText {
 public:
  // "# HELP" and "# TYPE" lines; type is counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, std::initializer_list<Label> labels, double value);
  void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }

  std::string& text() { return out_; }

 private:
  void write_name_and_labels(std::string_view name, std::initializer_list<Label> labels);
  void write_escaped(std::string_view value);
  std::string out_;
};

// How a bucket bound is printed in an "le" label.
std::string bound_label(double seconds);

}  // namespace companion::http::metrics
