# qunyan: `make run` serves the demo town, `make test` runs every test.
BUILD    ?= build
ASAN     ?= build-asan
FUZZ     ?= build-fuzz
FUZZ_SECONDS ?= 60
DB       ?= var/qunyan.db
LISTEN   ?= 127.0.0.1:8080
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
NPM_DIR  := tests/browser

.PHONY: all deps build run demo-reset test test-fast test-asan browser-deps bench bench-city bench-scale format format-check clean
.PHONY: fuzz fuzz-build test-fuzz

all: build

deps:
	@scripts/install-deps

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/qunyan init --demo --db $(DB); fi
	@echo
	@echo "  qunyan serves the demo town of Zhangyan at http://$(LISTEN)/"
	@echo "  sign in as admin, officer, secretary, grid, handler or qifan;"
	@echo "  every demo password is qunyan2024"
	@echo
	@exec $(BUILD)/qunyan serve --db $(DB) --listen $(LISTEN)

# The next 'make run' creates the demo town afresh.
demo-reset:
	rm -f $(DB) $(DB)-wal $(DB)-shm

# npm ci from the lock, again whenever the lock changed since the last one.
browser-deps:
	@scripts/install-deps --browser
	@cd $(NPM_DIR) && if ! cmp -s package-lock.json node_modules/.installed-lock.json; then \
	  npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json; fi

# The whole suite: unit, API and browser tests on the normal build, then
# the unit and API tests again under AddressSanitizer and UBSan (of the
# suites on PostgreSQL, those labelled pg-asan).
test: build browser-deps format-check
	cd $(BUILD) && ctest --output-on-failure -j 2
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-fuzz

test-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DQY_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j 2 -L '^(unit|api|pg-asan)$$'

# The fuzz targets (fuzz/), built with clang, libFuzzer, ASan and UBSan in
# a directory of their own.  'make fuzz' runs each for FUZZ_SECONDS, JOBS at
# a time (FUZZ_TARGETS="uscc geojson" runs some); the tests run each briefly.
FUZZ_TARGETS ?= $(filter-out harness,$(basename $(notdir $(wildcard fuzz/*.c))))
fuzz-build:
	@scripts/install-deps --fuzz
	@cmake -S . -B $(FUZZ) -DCMAKE_C_COMPILER=clang -DQY_FUZZ=ON -DQY_TESTS=OFF \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" >/dev/null
	@cmake --build $(FUZZ) -j $(JOBS)

fuzz: fuzz-build
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(JOBS) -I{} \
	  fuzz/run $(FUZZ)/fuzz/fuzz_{} {} $(FUZZ_SECONDS) $(FUZZ)/fuzz/work

test-fuzz: fuzz-build
	cd $(FUZZ) && ctest --output-on-failure -j 2 -L fuzz

# Every benchmark prints its figures beside its floors; each exits non-zero
# when a floor is missed.  BENCH=grid runs one.
BENCH ?= registry chain grid cases services policies organisations events dashboard
bench: build
	@scripts/install-deps --bench
	@rc=0; for b in $(BENCH); do echo "== bench/$$b"; bench/$$b/run || rc=1; done; exit $$rc

# A city in one database (3,000,000 enterprises, 10,000,000 cases, some
# 8 GB under var/city/, several minutes): apart from 'make bench' for its
# size.  CITY_SCALE=0.1 builds a tenth of it.
bench-city: build
	@scripts/install-deps --bench
	@QUNYAN_BUILD=$(BUILD) bench/city/run

# The same city on PostgreSQL behind nginx with 1, 2 and 3 servers, beside
# SQLite with one (the kept city and PostgreSQL's copy under var/scale/):
# apart from 'make bench' for its size.  SCALE_CITY=0.01 for a quick run.
bench-scale: build
	@scripts/install-deps --bench
	@QUNYAN_BUILD=$(BUILD) bench/scale/run

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'bench/*.c' 'fuzz/*.c' 'fuzz/*.h')

format-check:
	@if command -v clang-format >/dev/null; then \
	  clang-format --dry-run --Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'bench/*.c' 'fuzz/*.c' 'fuzz/*.h') \
	  && echo "clang-format: clean"; \
	else echo "clang-format: not installed (scripts/install-deps --dev), not checked"; fi

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
