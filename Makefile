# The two commands a new user needs: `make run` and `make test`.
# Both install what is missing (Debian packages, npm assets), configure and build first.

BUILD_TYPE ?= Release
SANITIZE ?= 0
JOBS ?= $(shell nproc)

ifeq ($(SANITIZE),1)
BUILD_DIR ?= build-sanitize
CMAKE_FLAGS += -DCOMPANION_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
# Only what the tests run; benchmarks are built (and checked to compile) by the plain build.
TEST_TARGETS := --target test_programs
else
BUILD_DIR ?= build
CMAKE_FLAGS += -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
endif

# Compiler-cache entries keyed by paths relative to the checkout, so that a fresh clone
# (as CI makes) reuses what an earlier build of the same sources compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps configure build run test bench fuzz format clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/companion serve

test: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) $(TEST_TARGETS)
	scripts/run-tests $(BUILD_DIR)

bench: build
	scripts/run-bench $(BUILD_DIR)

# Fuzz targets need clang and libFuzzer; they get a build folder of their own.
fuzz: deps
	CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCOMPANION_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target fuzz_targets
	scripts/run-fuzz build-fuzz

format:
	find src tests bench fuzz -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-sanitize
