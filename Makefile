# doorstroom: the two commands a newcomer needs are `make run` and
# `make test`. Both install what they need (Go modules, the ECharts npm
# package) on a machine with Go, gcc, node and npm.

GO      ?= go
BIN     := bin/doorstroom
ECHARTS := dashboards/assets/echarts.min.js
CONFIG  ?= config/demo-network.yaml

.PHONY: all build run test fmt assets demo clean e2e chromium

all: build

# ECharts comes from the npm registry, pinned by package-lock.json to the
# version go-echarts v2 expects, and is embedded in the binary.
node_modules/echarts/dist/echarts.common.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ECHARTS): node_modules/echarts/dist/echarts.common.min.js
	cp $< $@

assets: $(ECHARTS)

build: assets
	$(GO) build -o $(BIN) ./cmd/doorstroom

# The whole quarterly job on the bundled demo network of every programme
# (atn in testdata/demo, resettlement, chain and lvv in testdata/<p>): one
# site with a section per programme in out/site.
run: build
	./$(BIN) run --config $(CONFIG)

# Every test, including the end-to-end quarter and the browser test.
test: assets
	$(GO) vet ./...
	$(GO) vet -tags browser ./cmd/doorstroom
	$(GO) test ./...
	$(MAKE) audit
	$(MAKE) e2e

# Debian's Chromium drives the browser test; it is installed when missing
# (as root, as on CI; elsewhere run the apt-get line with sudo).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q chromium || \
		{ apt-get update -q && apt-get install -y -q chromium; }; }

# Every page of the demo site in headless Chromium from file://, with the
# network blocked: no console error, no request outside the site, every
# chart drawn, every link resolving. Screenshots of each page kind go to
# out/e2e/.
e2e: assets chromium
	DOORSTROOM_CHROMIUM=$(CHROMIUM) $(GO) test -tags browser -run TestBrowserDemoSite -count=1 -timeout 20m ./cmd/doorstroom

# Regenerate the committed demo inboxes (deterministic per seed): atn's
# from the built-in generator, the others from their demo.yaml.
PROGRAMME_DEMOS := resettlement chain lvv
demo: build
	rm -rf testdata/demo/inbox
	./$(BIN) demo --partners 5 --quarters 8 --seed 1 --out testdata/demo
	for p in $(PROGRAMME_DEMOS); do rm -rf testdata/$$p/inbox && \
		./$(BIN) demo --programme $$p --quarters 4 --last 2026Q3 --seed 1 --out testdata/$$p || exit 1; done

# The anonymisation benchmark on ../shared/data/adult (docs/anonymisation.md).
.PHONY: bench-adult
bench-adult:
	$(GO) test ./anonymize -run XXX -bench BenchmarkAdult -benchtime 5x

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin out outbox quarantine state

# doorstroom audit over the demo release (make run): no raw case number,
# key material or direct identifier anywhere in out/ or the outbox.
.PHONY: audit test-heavy
audit: run
	./$(BIN) audit --config $(CONFIG) out outbox

# The heavy reliability tests: a crash at every hit of every crash point,
# a 100 MB single line, 10 million rows of one partner, a full disk.
test-heavy: assets
	DOORSTROOM_HEAVY=1 $(GO) test -run 'TestCrashSafety|TestHostile|TestReadOnlyAndFullOutputs' -count=1 -v -timeout 90m ./cmd/doorstroom ./ingest

# The job and each stage on generated networks of 10k, 100k and 1M
# trajectories, against DuckDB's own read_csv + COPY to Parquet
# (docs/performance.md). SIZES=10k,100k,1M,5M adds the national scale.
SIZES ?= 10k,100k,1M
.PHONY: bench
bench: build
	./$(BIN) bench --sizes $(SIZES)
