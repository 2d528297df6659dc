# teampulse — two commands: `make run` and `make test` (see README.md).
SWIFT    ?= swift
PIPELINE ?= pipelines/nightly.yml
# sample-data/ holds five weeks ending 2026-11-15; the demo run reports on that day.
AS_OF    ?= 2026-11-15
PREFIX   ?= /usr/local
BIN       = .build/release/teampulse

# Debian packages the build links against (system-library targets in Package.swift).
APT_PACKAGES = libcsv-dev zlib1g-dev libxlsxwriter-dev libsqlite3-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps build sample-data install clean bench fuzz

## Install missing system packages, build release, run the nightly pipeline over sample-data/.
run: deps build
	$(BIN) run $(PIPELINE) --as-of $(AS_OF)

## Install missing system packages, then run unit and end-to-end tests.
test: deps
	$(SWIFT) build
	$(SWIFT) test

## Install the Debian packages in APT_PACKAGES that are not installed yet (apt-get, sudo when not root).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build:
	$(SWIFT) build -c release --product teampulse

## Regenerate sample-data/ (deterministic; bad rows included on purpose).
sample-data: deps build
	$(BIN) generate --orders 5000 --tickets 1000 --tasks 300 --seed 7 --end-date $(AS_OF) --bad-rows --events --out sample-data

install: deps build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/teampulse

## Fuzz the ingest with libFuzzer for FUZZ_SECONDS (own build folder .build-fuzz, linked with lld; seeds:
## every file under Tests/TeamPulseTests/Fixtures, crash regressions in its fuzz/ folder included). A
## crash leaves its input in .build-fuzz/crashes/ and fails the target. FUZZ_TIMEOUT: the seconds (wall
## clock) one input may take before libFuzzer calls it a hang; raise it on a machine busy with other work.
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_BUILD    = .build-fuzz
fuzz: deps
	$(SWIFT) build -c debug --scratch-path $(FUZZ_BUILD) --product teampulse-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
	mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/crashes
	find Tests/TeamPulseTests/Fixtures -type f -exec cp {} $(FUZZ_BUILD)/corpus/ \;
	SWIFT_BACKTRACE=enable=no $(FUZZ_BUILD)/debug/teampulse-fuzz $(FUZZ_BUILD)/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 -artifact_prefix=$(FUZZ_BUILD)/crashes/ -print_final_stats=1

clean:
	rm -rf .build .build-fuzz out

## Benchmark against DuckDB (full catalogue and reduced lower bound) and the libcsv floor, then a
## scaling table at 1M/5M/20M orders (SCALE= skips it; see docs/performance.md).
bench: deps
	bench/run.sh
