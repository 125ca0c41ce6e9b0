# doorstroom: the two commands a newcomer needs are `make run` and
# `make test`. Both install what they need (Go modules, the ECharts npm
# package) on a machine with Go, gcc, node and npm.

GO      ?= go
BIN     := bin/doorstroom
ECHARTS := dashboards/assets/echarts.min.js
CONFIG  ?= config/demo.yaml

.PHONY: all build run test vet fmt assets demo clean

all: build

# ECharts comes from the npm registry, pinned by package-lock.json to the
# version go-echarts v2 expects, and is embedded in the binary.
node_modules/echarts/dist/echarts.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ECHARTS): node_modules/echarts/dist/echarts.min.js
	cp $< $@

assets: $(ECHARTS)

build: assets
	$(GO) build -o $(BIN) ./cmd/doorstroom

# The whole quarterly job on the bundled demo network (testdata/demo).
run: build
	./$(BIN) run --config $(CONFIG)

# Every test, including the end-to-end quarter.
test: assets
	$(GO) vet ./...
	$(GO) test ./...

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
