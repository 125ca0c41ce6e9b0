# doorstroom: the two commands a newcomer needs are `make run` and
# `make test`. Both install what they need (Go modules, the ECharts npm
# package) on a machine with Go, gcc, node and npm.

GO      ?= go
BIN     := bin/doorstroom
ECHARTS := dashboards/assets/echarts.min.js
CONFIG  ?= config/demo.yaml

.PHONY: all build run test vet fmt assets demo clean e2e chromium

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

# The whole quarterly job on the bundled demo network (testdata/demo).
run: build
	./$(BIN) run --config $(CONFIG)

# Every test, including the end-to-end quarter and the browser test.
test: assets
	$(GO) vet ./...
	$(GO) vet -tags browser ./cmd/doorstroom
	$(GO) test ./...
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

# Regenerate the committed demo inbox (deterministic per seed).
demo: build
	rm -rf testdata/demo/inbox
	./$(BIN) demo --partners 5 --quarters 8 --seed 1 --out testdata/demo

# The anonymisation benchmark on ../shared/data/adult (docs/anonymisation.md).
.PHONY: bench-adult
bench-adult:
	$(GO) test ./anonymize -run XXX -bench BenchmarkAdult -benchtime 5x

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin out outbox quarantine state

# The job and each stage on generated networks of 10k, 100k and 1M
# trajectories, against DuckDB's own read_csv + COPY to Parquet
# (docs/performance.md). SIZES=10k,100k,1M,5M adds the national scale.
SIZES ?= 10k,100k,1M
.PHONY: bench
bench: build
	./$(BIN) bench --sizes $(SIZES)
