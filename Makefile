# Kinfolio — two commands on a fresh Debian or Ubuntu machine:
#   make run    installs what is missing, builds and opens the app
#   make test   installs what is missing, runs go vet and every test
# Each installs only what dpkg says is missing, so a second run is quick.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go
export LANG ?= en_US.UTF-8

# What Fyne's cgo build needs (OpenGL and X11 headers, a C compiler).
APT_BUILD := gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests and screenshots need: a virtual display, image and PDF
# tools, the stock age tool (backups must open with it), a Unicode font,
# and for the test of the real window: xdotool to type into it, tesseract
# to read it back.
APT_TEST  := xvfb xauth x11-utils imagemagick poppler-utils age fonts-dejavu-core xdotool tesseract-ocr

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-long deps deps-build deps-test go build kin vet fuzz package clean

run: deps-build go
	$(GO) build -o bin/kinfolio .
	./bin/kinfolio

test: deps-build deps-test go
	$(GO) vet ./...
	$(call with_display,$(GO) test -short -count=1 ./...)
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/kin

# The full suite: crash and tamper tests run all their rounds.
test-long: deps-build deps-test go
	$(GO) vet ./...
	$(call with_display,$(GO) test -count=1 -timeout 60m ./...)

# with_display runs a command under Xvfb when there is no display (CI).
with_display = if [ -n "$${DISPLAY:-}" ]; then $(1); else xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" $(1); fi

deps: deps-build deps-test go

deps-build:
	@$(call apt_install,$(APT_BUILD))

deps-test:
	@$(call apt_install,$(APT_TEST))

# apt_install installs the named packages that dpkg does not list as installed.
define apt_install
missing=""; \
for p in $(1); do \
  [ "$$(dpkg-query -W -f='$${db:Status-Abbrev}' "$$p" 2>/dev/null)" = "ii " ] || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "installing:$$missing"; \
  $(SUDO) apt-get update -qq; \
  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef

# go makes sure a Go toolchain that can build go.mod's version is there:
# Debian's golang-go when there is none, then the go command fetches the
# exact toolchain go.mod asks for from the Go module proxy.
go:
	@if ! command -v $(GO) >/dev/null; then \
	  echo "installing: golang-go"; $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends golang-go ca-certificates; \
	fi; \
	$(GO) version >/dev/null || { echo "Go 1.21 or newer is needed (go.dev/dl); Go then fetches the version go.mod names"; exit 1; }

build: deps-build go
	$(GO) build -o bin/kinfolio .
	CGO_ENABLED=0 $(GO) build -o bin/kin ./cmd/kin

kin: go
	CGO_ENABLED=0 $(GO) build -o bin/kin ./cmd/kin

vet: go
	$(GO) vet ./...

# fuzz runs every fuzz target for FUZZTIME each (default 30s).
FUZZTIME ?= 30s
fuzz: go
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# package builds the desktop bundle with the fyne tool.
package: deps-build go
	$(GO) install fyne.io/tools/cmd/fyne@v1.7.4
	$$($(GO) env GOPATH)/bin/fyne package --release --app-id io.kinfolio.app --icon assets/icon.png --name Kinfolio

clean:
	rm -rf bin fyne-cross
