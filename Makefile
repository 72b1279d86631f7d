# salesplan — the two commands a newcomer needs are `make run` and `make test`.
# Everything else here is for developers.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080
DB         ?= demo.db

.PHONY: all deps test-deps web-build build asan test test-fast run bench format clean

all: build

deps:
	@scripts/install-deps

# The browser tests' packages: chromium, CJK fonts, node; Playwright (npm).
E2E_STAMP := tests/e2e/node_modules/.sp-installed
test-deps: deps
	@scripts/install-deps web
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(E2E_STAMP); fi

$(E2E_STAMP): tests/e2e/package-lock.json
	cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

# The web app (web/): `npm ci` when node_modules is missing or the lockfile
# changed, `npm run build` when a source changed. CMake embeds web/dist; with
# no node >= 20 the binary gets the plain page in src/http/static instead.
WEB_STAMP := web/node_modules/.sp-installed
WEB_SRC   := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
             web/vite.config.js web/package.json web/package-lock.json

web-build:
	@if command -v npm >/dev/null 2>&1 && \
	    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'; then \
		$(MAKE) --no-print-directory web/dist/index.html; \
	else \
		echo "make: node >= 20.19 with npm not found: embedding the plain page (src/http/static)"; \
	fi

$(WEB_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: $(WEB_STAMP) $(WEB_SRC)
	cd web && npm run build

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps web-build $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSP_SANITIZE=ON

asan: deps web-build $(ASAN_BUILD)/Makefile
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The whole suite, first on the optimised build, then under ASan+UBSan.
test: test-deps build asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

# The optimised build's suite only (quicker while developing).
test-fast: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

run: build
	@test -f $(DB) || $(BUILD)/salesplan --db $(DB) demo
	$(BUILD)/salesplan --db $(DB) serve --listen $(LISTEN)

# The benchmarks and their peers (sqlite3, PostgreSQL, pandas; DuckDB from npm).
bench: build
	@scripts/install-deps bench
	bench/run

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
