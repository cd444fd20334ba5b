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
# What the Windows build needs: the MinGW-w64 C cross-compiler for Fyne's
# cgo parts, and zip for the download.
APT_WINDOWS := gcc-mingw-w64-x86-64 zip

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The app's version: FyneApp.toml's [Details] Version.
VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)

.PHONY: run test test-long test-windows run-windows wine-prefix cross-check deps deps-build deps-test \
        deps-windows go build kin kin-all vet fuzz package package-windows clean

run: deps-build go
	$(GO) build -o bin/kinfolio .
	./bin/kinfolio

test: deps-build deps-test go
	$(GO) vet ./...
	$(call with_display,$(GO) test -short -count=1 ./...)
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/kin
	@$(MAKE) --no-print-directory cross-check

# cross-check: kin cross-compiles for Windows and macOS, and go vet passes
# for Windows on every package that needs no cgo (all but the GUI's: its
# Windows build is make package-windows, minutes long). Vet compiles the
# tests too, so a test that only builds on Unix fails here.
cross-check: go
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/kin
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/kin
	CGO_ENABLED=0 GOOS=windows $(GO) vet $(call nocgo_pkgs,windows)

# nocgo_pkgs lists, for GOOS $(1), the packages that do not need Fyne (and
# so cgo): all but main and app/ui.
nocgo_pkgs = $$(GOOS=$(1) CGO_ENABLED=0 $(GO) list -e -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./... | grep -v ' fyne\.io/' | cut -d' ' -f1)

# The full suite: crash and tamper tests run all their rounds.
test-long: deps-build deps-test go
	$(GO) vet ./...
	$(call with_display,$(GO) test -count=1 -timeout 60m ./...)

# with_display runs a command under Xvfb when there is no display (CI); a
# Mac always has one.
with_display = if [ -n "$${DISPLAY:-}" ] || [ "$$(uname)" = Darwin ]; then $(1); else xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" $(1); fi

deps: deps-build deps-test go

deps-build:
	@$(call apt_install,$(APT_BUILD))

deps-test:
	@$(call apt_install,$(APT_TEST))

deps-windows:
	@$(call apt_install,$(APT_WINDOWS))

# apt_install installs the named packages that dpkg does not list as installed.
# Where there is no dpkg (a Mac), it says what it skipped and goes on.
define apt_install
if ! command -v dpkg-query >/dev/null; then echo "not a Debian system: not installing $(strip $(1))"; exit 0; fi; \
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

# kin-all builds kin for every system it runs on, in bin/kin-OS-ARCH[.exe].
KIN_PLATFORMS := linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64
KIN_LDFLAGS := -s -w -X main.version=$(VERSION)
kin-all: go
	@for p in $(KIN_PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; out=bin/kin-$$os-$$arch; [ "$$os" != windows ] || out=$$out.exe; \
	  echo "$$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(KIN_LDFLAGS)" -o $$out ./cmd/kin; \
	done

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

# package builds the desktop bundle with the fyne tool (on a Mac: a
# Kinfolio.app, with the Xcode command-line tools; see README).
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
FYNE = $$($(GO) env GOPATH)/bin/fyne
FYNE_FLAGS := --release --app-id io.kinfolio.app --icon assets/icon.png --name Kinfolio
package: deps-build go
	$(GO) install $(FYNE_TOOL)
	$(FYNE) package $(FYNE_FLAGS)

# package-windows cross-builds the Windows app with MinGW-w64: Kinfolio.exe
# (a GUI-subsystem program: no console window; icon, version information
# and manifest embedded by the fyne tool, which also bumps FyneApp.toml's
# Build), checks it, and zips it with kin.exe, a README and the licences
# of everything it is built from, into bin/Kinfolio-VERSION-windows-amd64.zip.
# Cold: several minutes (Fyne's OpenGL bindings are one large C file).
WIN_CC ?= x86_64-w64-mingw32-gcc
WIN_NAME := Kinfolio-$(VERSION)-windows-amd64
WIN_DIR := bin/$(WIN_NAME)
package-windows: deps-windows go
	$(GO) install $(FYNE_TOOL)
	rm -f fyne.syso fyne_metadata_init.go Kinfolio.exe
	CC=$(WIN_CC) GOARCH=amd64 $(FYNE) package --target windows $(FYNE_FLAGS)
	$(GO) run ./internal/winexe/checkexe -arch amd64 -name Kinfolio -version $(VERSION) Kinfolio.exe
	rm -rf $(WIN_DIR) bin/$(WIN_NAME).zip
	mkdir -p $(WIN_DIR)
	mv Kinfolio.exe $(WIN_DIR)/
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags "$(KIN_LDFLAGS)" -o $(WIN_DIR)/kin.exe ./cmd/kin
	CC=$(WIN_CC) CGO_ENABLED=1 GOOS=windows GOARCH=amd64 .ci/licences $(WIN_DIR)/licences . ./cmd/kin
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/$$/\r/' .ci/windows-readme.txt > $(WIN_DIR)/README.txt
	cd bin && zip -qr $(WIN_NAME).zip $(WIN_NAME)
	@ls -l bin/$(WIN_NAME).zip $(WIN_DIR)/Kinfolio.exe $(WIN_DIR)/kin.exe

# test-windows runs the tests of every package that needs no cgo as Windows
# programs, under Wine (Debian's wine64; not run by make test). Wine is not
# Windows, so this is a smoke test of what differs there (paths, file
# locking, renames over open files, UTF-16), not a substitute.
test-windows: wine-prefix
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o $(WINE_DIR)/kin.exe ./cmd/kin
	@# Wine's server and services (which some tests wake) started here, with
	@# no test's output inherited: started by a test, they would hold go
	@# test's pipe open after it ended.
	$(wine_env); { $(WINESERVER) -p </dev/null >/dev/null 2>&1 || true; }; trap '$(WINESERVER) -k' EXIT; \
	$(WINE) wineboot </dev/null >/dev/null 2>&1; \
	KIN_TEST_BINARY="Z:$$(echo $(WINE_DIR)/kin.exe | tr / '\\')" \
	  CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) test -short -count=1 -overlay $(WINE_DIR)/overlay.json \
	  -exec $(CURDIR)/.ci/wine/exec $(call nocgo_pkgs,windows)

# run-windows opens the Windows build (make package-windows) under Wine: on
# this machine's display, or a virtual one (xvfb-run) when there is none.
run-windows: wine-prefix
	[ -f $(WIN_DIR)/Kinfolio.exe ] || $(MAKE) --no-print-directory package-windows
	$(wine_env); $(call with_display,$(WINE) $(WIN_DIR)/Kinfolio.exe)

# wine-prefix makes a Wine prefix in bin/wine where Go programs run. Go
# 1.22+ needs bcryptprimitives.dll, which Wine 8 lacks: a ten-line stand-in
# is built for the prefix (never shipped), and the tests' os.Remove is told
# to use the deletion Wine knows (an overlay; .ci/wine).
WINE ?= /usr/lib/wine/wine64
WINESERVER ?= /usr/lib/wine/wineserver64
WINE_DIR := $(CURDIR)/bin/wine
wine_env = export WINE=$(WINE) WINEPREFIX=$(WINE_DIR)/prefix WINEDEBUG=-all
wine-prefix: deps-windows go
	@$(call apt_install,wine64)
	mkdir -p $(WINE_DIR)
	$(WIN_CC) -shared -O2 -o $(WINE_DIR)/bcryptprimitives.dll .ci/wine/bcryptprimitives.c .ci/wine/bcryptprimitives.def -ladvapi32
	[ -d $(WINE_DIR)/prefix/drive_c/windows/system32 ] || { $(wine_env); $(WINE) wineboot -i; }
	cp $(WINE_DIR)/bcryptprimitives.dll $(WINE_DIR)/prefix/drive_c/windows/system32/
	printf '{"Replace":{"%s/src/internal/syscall/windows/zz_wine_deleteat.go":"%s/.ci/wine/deleteat_fallback.go.txt"}}' \
	  "$$($(GO) env GOROOT)" "$(CURDIR)" > $(WINE_DIR)/overlay.json

clean:
	rm -rf bin fyne-cross fyne.syso fyne_metadata_init.go
