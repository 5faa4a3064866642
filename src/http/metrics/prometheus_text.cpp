#include "http/metrics/prometheus_text.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace companion::http::metrics {

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void PrometheusText::write_escaped(std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out_ += "\\\\";
        break;
      case '"':
        out_ += "\\\"";
        break;
      case '\n':
        out_ += "\\n";
        break;
      default:
        out_ += c;
    }
  }
}

void PrometheusText::write_name_and_labels(std::string_view name,
                                           std::initializer_list<Label> labels) {
  out_ += name;
  if (labels.size() == 0) return;
  out_ += '{';
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out_ += ',';
    first = false;
    out_ += key;
    out_ += "=\"";
    write_escaped(value);
    out_ += '"';
  }
  out_ += '}';
}

void PrometheusText::sample(std::string_view name, std::initializer_list<Label> labels,
                            double value) {
  write_name_and_labels(name, labels);
  if (std::isinf(value)) {
    out_ += value > 0 ? " +Inf\n" : " -Inf\n";
  } else if (std::isnan(value)) {
    out_ += " NaN\n";
  } else {
    fmt::format_to(std::back_inserter(out_), " {}\n", value);
  }
}

void PrometheusText::sample(std::string_view name, std::initializer_list<Label> labels,
                            std::uint64_t value) {
  write_name_and_labels(name, labels);
  fmt::format_to(std::back_inserter(out_), " {}\n", value);
}

std::string bound_label(double seconds) {
  return std::isinf(seconds) ? std::string("+Inf") : fmt::format("{}", seconds);
}

}  // namespace companion::http::metrics
