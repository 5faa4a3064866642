// Quality and speed of the offline emotion analyzer on the hand-labelled chat set of the
// unit tests: accuracy and macro-F1 on the dev half (the one the word list was tuned on),
// the held-out half and all of it; per-label precision, recall and F1; the confusion matrix;
// and analyses per second, measured.
//
//   affect_eval                 the analyzer as the server runs it without WordNet
//   affect_eval --wordnet       with the WordNet lexicon widening the list to lemmas
//   affect_eval --misses=dev    also list the misread entries of a half (dev, held_out, all)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/affect/emotion.hpp"
#include "providers/embed/wordnet_lexicon.hpp"
#include "unit/emotion_labelled_set.hpp"

namespace {

using companion::core::emotion_labels;
using companion::core::EmotionAnalyzer;
using companion::testing::emotion_labelled_set;
using companion::testing::EmotionEvaluation;
using companion::testing::EvalHalf;
using companion::testing::evaluate_emotions;

struct Options {
  bool wordnet = false;
  bool show_misses = false;
  std::optional<EvalHalf> misses_half;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--wordnet") options.wordnet = true;
    if (arg.starts_with("--misses=")) {
      options.show_misses = true;
      const std::string_view half = arg.substr(std::strlen("--misses="));
      if (half == "dev") options.misses_half = EvalHalf::dev;
      if (half == "held_out") options.misses_half = EvalHalf::held_out;
    }
  }
  return options;
}

void print_summary_line(const char* name, const EmotionEvaluation& evaluation) {
  std::printf("%-9s n=%3zu  accuracy %.3f (%zu/%zu)  macro-F1 %.3f\n", name, evaluation.count,
              evaluation.accuracy, evaluation.correct, evaluation.count, evaluation.macro_f1);
}

void print_per_label(const EmotionEvaluation& evaluation) {
  std::printf("\n%-11s %9s %9s %9s %8s\n", "label", "precision", "recall", "F1", "support");
  for (std::size_t i = 0; i < emotion_labels.size(); ++i) {
    const auto& scores = evaluation.per_label[i];
    std::printf("%-11s %9.3f %9.3f %9.3f %8zu\n", std::string(emotion_labels[i]).c_str(),
                scores.precision, scores.recall, scores.f1, scores.support);
  }
}

void print_confusion(const EmotionEvaluation& evaluation) {
  std::printf("\nconfusion (rows: labelled, columns: predicted)\n%-11s", "");
  for (const auto label : emotion_labels) std::printf(" %5.5s", std::string(label).c_str());
  std::printf("\n");
  for (std::size_t row = 0; row < emotion_labels.size(); ++row) {
    std::printf("%-11s", std::string(emotion_labels[row]).c_str());
    for (std::size_t column = 0; column < emotion_labels.size(); ++column) {
      std::printf(" %5zu", evaluation.confusion[row][column]);
    }
    std::printf("\n");
  }
}

void print_misses(const EmotionEvaluation& evaluation) {
  std::printf("\nmisread (%zu):\n", evaluation.misses.size());
  for (const auto& miss : evaluation.misses) {
    std::printf("  [%s -> %s] %s\n", std::string(miss.entry->label).c_str(), miss.predicted.c_str(),
                std::string(miss.entry->text).c_str());
  }
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Analyses of the whole set, repeated for at least a second of wall time. The CPU time of the
// thread is reported too: on a shared machine it is the steadier figure.
void print_throughput(const EmotionAnalyzer& analyzer) {
  using Clock = std::chrono::steady_clock;
  const auto set = emotion_labelled_set();
  std::size_t analyses = 0;
  std::size_t bytes = 0;
  const double cpu_start = thread_cpu_seconds();
  const auto start = Clock::now();
  auto elapsed = Clock::duration::zero();
  while (elapsed < std::chrono::seconds(1)) {
    for (const auto& entry : set) {
      auto analysis = analyzer.analyze(entry.text);
      benchmark::DoNotOptimize(analysis);
      bytes += entry.text.size();
    }
    analyses += set.size();
    elapsed = Clock::now() - start;
  }
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const double cpu_seconds = thread_cpu_seconds() - cpu_start;
  std::printf("\nthroughput, 1 thread, mean message %.0f bytes:\n",
              static_cast<double>(bytes) / analyses);
  std::printf("  %.0f analyses/s of wall time (%.2f us each)\n", analyses / seconds,
              seconds * 1e6 / analyses);
  std::printf("  %.0f analyses/s of CPU time (%.2f us each)\n", analyses / cpu_seconds,
              cpu_seconds * 1e6 / analyses);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  std::shared_ptr<const companion::core::Lexicon> lexicon;
  if (options.wordnet) {
    auto wordnet = std::make_shared<companion::providers::embed::WordNetLexicon>();
    if (!wordnet->available()) {
      std::fprintf(stderr, "WordNet dictionary not found; evaluating without it\n");
    }
    lexicon = wordnet;
  }
  const EmotionAnalyzer analyzer(lexicon);
  std::printf("emotion analyzer on %zu labelled messages (%s)\n\n", emotion_labelled_set().size(),
              lexicon && lexicon->available() ? "with WordNet lemmas" : "word list only");

  const EmotionEvaluation dev = evaluate_emotions(analyzer, EvalHalf::dev);
  const EmotionEvaluation held_out = evaluate_emotions(analyzer, EvalHalf::held_out);
  const EmotionEvaluation all = evaluate_emotions(analyzer, std::nullopt);
  print_summary_line("dev", dev);
  print_summary_line("held-out", held_out);
  print_summary_line("all", all);
  print_per_label(all);
  print_confusion(all);
  if (options.show_misses) {
    print_misses(!options.misses_half                    ? all
                 : *options.misses_half == EvalHalf::dev ? dev
                                                         : held_out);
  }
  print_throughput(analyzer);
  return 0;
}
