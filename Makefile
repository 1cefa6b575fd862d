# Pin All: build, run and test the Bitrix24 widget. `make help` lists targets.
GO        ?= go
# scripts/wasmbuild.go runs the same go.
export GO
GOROOT    := $(shell $(GO) env GOROOT)
WIDGET    := widget
# The raw wasm goes to build/ (for sizes and anything that needs plain wasm);
# widget/ gets what is served: NAME.wasm gzip'd, NAME.wasm.br (precompress.go).
BUILD     := build
WASM      := $(BUILD)/pinall.wasm
INSTALL_WASM := $(BUILD)/install.wasm
WASM_EXEC := $(WIDGET)/wasm_exec.js
BUILD_JS  := $(WIDGET)/build.js
# Shown on both pages (widget/build.js) and given to support.
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# The wasm is built with the release flags of internal/wasmbuild, the one
# place that holds them (the bench builds its floors through it too).
WASM_BUILD := $(GO) run scripts/wasmbuild.go
# Packages that run inside the browser under wasmbrowsertest.
BROWSER_PKGS := ./internal/minijson/... ./internal/frame/... ./internal/host/... ./internal/l10n \
                ./internal/jsutil/... ./internal/jsfetch/... ./internal/view/... ./wasm/...
# wasmbrowsertest copies the environment into the page, where wasm_exec.js
# caps its size: run it with only what the go command needs.
BROWSER_ENV := env -i PATH="$(PATH)" HOME="$(HOME)" GOROOT="$(GOROOT)" \
               GOCACHE="$(shell $(GO) env GOCACHE)" GOMODCACHE="$(shell $(GO) env GOMODCACHE)" \
               GOPROXY="$(shell $(GO) env GOPROXY)" GOFLAGS="$(shell $(GO) env GOFLAGS)" \
               GOOS=js GOARCH=wasm
# wasmbrowsertest is pinned in tools/go.mod, a module of its own: it needs an
# older chromedp than the end-to-end tests use.
RUNNER := .bin/go_js_wasm_exec
BROWSER_EXEC := -exec "$(CURDIR)/$(RUNNER)"
# The mutation tester, pinned in tools/go.mod too.
GREMLINS := .bin/gremlins
# make mutate's packages: the core ones, each held to 95% (docs/testing.md).
PKGS ?= ./internal/urlpart ./internal/b24 ./internal/widget ./internal/lookup \
        ./internal/l10n ./internal/minijson ./internal/frame ./internal/install
MUTATE_WORKERS ?= 1

.PHONY: help build dist run test test-native test-browser chromium browsers node lint fuzz clean screenshots mutate

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

build: $(WASM) $(INSTALL_WASM) $(WASM_EXEC) ## build the widget into widget/ (pinall.wasm and install.wasm gzip'd, their .br, wasm_exec.js, build.js, words-*.json)
	@# Builds before the wasm itself was gzip'd left .wasm.gz siblings, which
	@# the dev portal would still serve to a browser without brotli.
	rm -f $(WIDGET)/*.wasm.gz
	$(GO) run scripts/precompress.go -o $(WIDGET) $(WASM) $(INSTALL_WASM)
	$(GO) run scripts/buildjs.go -version '$(VERSION)' -o $(BUILD_JS) $(WASM) $(INSTALL_WASM)

# Always rebuilt: go's own cache makes an unchanged build take a second.
.PHONY: $(WASM) $(INSTALL_WASM)
$(WASM):
	@mkdir -p $(BUILD)
	$(WASM_BUILD) -o $@ ./wasm

# The installer is a program of its own: operators never download it.
$(INSTALL_WASM):
	@mkdir -p $(BUILD)
	$(WASM_BUILD) -o $@ ./wasm/installer

$(WASM_EXEC): $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

# The static local app Bitrix24 takes as a zip: every file at the zip's root.
# No .br: Bitrix24 serves a zip's files as they are, and the .wasm files are
# gzip'd already. The pages go in with their scripts and stylesheet inlined
# (internal/distpage): an open then revalidates one file, not five.
# The words files are each language's words: a page fetches its own only.
DIST_FILES := index.html install.html pinall.wasm install.wasm
dist: build ## the Bitrix24 static local app: dist/pinall.zip and its dist/pinall.zip.sha256
	@mkdir -p dist && rm -f dist/pinall.zip dist/pinall.zip.sha256
	$(GO) run scripts/zipdist.go -o dist/pinall.zip -C $(WIDGET) $(DIST_FILES) $(notdir $(wildcard $(WIDGET)/words-*.json))
	@# sha256sum's format, so an admin checks the download with sha256sum -c.
	cd dist && { sha256sum pinall.zip 2>/dev/null || shasum -a 256 pinall.zip; } > pinall.zip.sha256

run: build ## build, then serve the widget in the dev portal with demo data
	$(GO) run ./cmd/devportal --widget $(WIDGET) $(ARGS)

test: build dist browsers node lint test-native test-browser fuzz ## every test: lint, native (race), browser (wasm), end to end in three engines, fuzzing (20,000 inputs each)

# make test fuzzes each target briefly; make fuzz FUZZTIME=... for longer.
# A count, not a duration: with a duration Go 1.26's fuzz coordinator can fail
# a run with a bare "context deadline exceeded" as the time runs out on a busy
# machine (go.dev/issue/75804, fixed in Go 1.27; it failed our CI once).
test: FUZZTIME ?= 20000x

# The end-to-end tests run without -race: they drive browsers through
# chromedp, whose own event loop the race detector flags, and the code they
# test runs in the browser, not in this process.
test-native: ## native tests with the race detector, then the end-to-end tests
	$(GO) test -race -timeout 15m $$($(GO) list ./... | grep -v '/e2e$$')
	$(GO) test -timeout 20m ./e2e

test-browser: $(RUNNER) ## js/wasm tests in headless Chromium through wasmbrowsertest
	$(BROWSER_ENV) $(GO) test $(BROWSER_EXEC) -timeout 5m $(BROWSER_PKGS)

$(RUNNER): tools/go.mod tools/go.sum
	cd tools && GOOS= GOARCH= $(GO) build -o ../$(RUNNER) github.com/agnivade/wasmbrowsertest

mutate: $(GREMLINS) ## mutation testing (PKGS=./internal/x ...): each package's efficacy >= 95%, docs/mutants.md's equivalents left out
	$(GO) run scripts/mutate.go -gremlins $(GREMLINS) -list docs/mutants.md -min 95 -workers $(MUTATE_WORKERS) $(PKGS)

$(GREMLINS): tools/go.mod tools/go.sum
	cd tools && GOOS= GOARCH= $(GO) build -o ../$(GREMLINS) github.com/go-gremlins/gremlins/cmd/gremlins

.PHONY: bench
bench: dist chromium node ## the widget against plain JS, the official SDK and the Go floor in headless Chromium, writes bench/results.md (docs/benchmarks.md)
	@command -v brotli >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y brotli >/dev/null || (apt-get update >/dev/null && apt-get install -y brotli >/dev/null)); } || \
	  echo "bench: no brotli CLI (apt-get install brotli): the brotli column is skipped"
	$(GO) run ./bench/cmd/bench

.PHONY: load
load: ## the office simulation: 1, 10, 30, 100 and 300 widgets sharing one portal's rate limit, writes bench/load-results.md (docs/benchmarks.md)
	$(GO) test ./bench/load -run '^TestOffice$$' -count=1 -timeout 30m -v -args -office 1,10,30,100,300 -results $(CURDIR)/bench/load-results.md

screenshots: build chromium ## regenerate docs/*.png from the dev portal in headless Chromium (en/ru, light/dark; the sidebar in every language)
	$(GO) run ./scripts/screenshots -out docs -widget $(WIDGET)

chromium: ## make sure Chromium and fonts for every script the widget speaks are here (installs them as root with apt)
	@scripts/ensure-chromium.sh
	@scripts/ensure-fonts.sh

browsers: ## make sure Chromium, Firefox ESR, WebKitGTK's driver, Xvfb and the fonts are here (installs them as root with apt)
	@scripts/ensure-browsers.sh
	@scripts/ensure-fonts.sh

node: ## make sure Node.js and npm are here, for the npm-based e2e tests
	@scripts/ensure-node.sh

lint: ## gofmt, go vet for both targets
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

fuzz: ## run each fuzz target briefly (FUZZTIME=10s)
	@scripts/fuzz.sh $(or $(FUZZTIME),10s)

clean: ## remove build output
	rm -f $(WIDGET)/*.wasm $(WIDGET)/*.br $(WIDGET)/*.gz $(WASM_EXEC) $(BUILD_JS) $(WIDGET)/words-*.json
	rm -rf $(BUILD) dist .bin
