# Blueprint build, test and demo entry points. `make help` lists them.

GO        ?= go
BIN       := bin
LDFLAGS   := -s -w
FUZZTIME  ?= 10s
export CGO_ENABLED ?= 0

.PHONY: help build test test-short setup demo demo-destroy bench fmt lint fuzz clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

build: ## Build bin/bp, the agents it uploads (bin/bp-agent-linux-*) and the example plugin (.bp/plugins).
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/bp ./cmd/bp
	GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/bp-agent-linux-amd64 ./cmd/bp-agent
	GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/bp-agent-linux-arm64 ./cmd/bp-agent
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o .bp/plugins/bp-provider-kv ./examples/provider-kv

setup: ## Install what bp and its tests need on a Debian machine (idempotent).
	bash scripts/setup.sh

test: setup build lint ## Run every test, end-to-end ones included.
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 30m ./...

test-short: ## Unit tests only, quickly.
	$(GO) test -short ./...

demo: setup build ## Set up, then apply the demo stack (examples/webapp) and print how to reach it.
	bash scripts/demo.sh

demo-destroy: build ## Destroy what make demo created.
	bash scripts/demo-destroy.sh

bench: build ## Run the benchmarks under bench/ and print their figures.
	bash bench/run.sh

fmt: ## Format Go code and the example blueprints.
	gofmt -w $$(git ls-files '*.go')
	$(BIN)/bp fmt -recursive examples

lint: ## gofmt and go vet.
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fuzz: ## Run every fuzz target briefly (FUZZTIME, default 10s each).
	bash scripts/fuzz.sh $(FUZZTIME)

clean: ## Remove build output.
	rm -rf $(BIN)
