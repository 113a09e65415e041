# The two commands a fresh machine needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= output

.PHONY: demo test test-fast typecheck install test-deps node-test-deps browser system-tools bench clean

demo: install
	$(BIN)/epaper build sample-edition --out $(OUT)

install: $(VENV)/.installed

# OpenSeadragon (deep zoom) comes from npm: the editable install finds it in node_modules/, and a wheel
# built from this checkout copies it in (setup.py). Without npm the viewer shows plain page images.
$(VENV)/.installed: pyproject.toml setup.py package.json
	@if command -v npm >/dev/null 2>&1 && npm ci --omit=dev --no-audit --no-fund --silent; then :; \
	else echo "npm unavailable or failed: the viewer will use plain page images (no deep zoom)"; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

test-deps: $(VENV)/.test-installed browser system-tools node-test-deps

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Test-only browser libraries (Mirador, the IIIF viewer the tests open our manifests in): npm
# devDependencies, never shipped. The tests that need them skip when npm is missing.
node-test-deps: node_modules/.dev-installed

node_modules/.dev-installed: package.json package-lock.json $(VENV)/.installed
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm unavailable: the Mirador tests will be skipped"; fi

# Browser tests drive Debian's chromium with Playwright (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || { echo "could not install chromium: run 'apt-get install chromium' as root"; exit 1; }; }

# Outside tools that judge our files: qpdf (PDF structure), Ghostscript (print colour: inkcov, tiffsep),
# poppler (pdffonts, pdftotext). Installed from Debian like chromium.
SYSTEM_TOOLS = qpdf gs pdffonts
system-tools:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null 2>&1 || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing qpdf, ghostscript and poppler-utils from Debian for the tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qpdf ghostscript poppler-utils) >/dev/null \
	  || { echo "could not install qpdf/ghostscript/poppler-utils: run 'apt-get install qpdf ghostscript poppler-utils' as root"; exit 1; }; \
	fi

# The whole suite on two processes (pytest-xdist), a test file to a process (its module fixtures, a
# built edition most of them, made once): 10 min 22 s against 14 min 41 s in one process on this
# 2-core machine, where a build's own worker processes leave a core idle while a test waits on a
# browser, a subprocess or the disk.
test: test-deps typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile

# The package type-checks clean (mypy, pinned in the test extra; settings in pyproject.toml).
typecheck: test-deps
	$(BIN)/python -m mypy

# The inner loop: the type check, then everything but the tests marked slow (browsers, full builds,
# long property runs), on two processes (pytest-xdist): about 90 s of CPU over both, so about 45 s on
# an idle 2-core machine. The type check is here too: CI's `make test` runs it, and a change that
# passed only the tests broke it twice.
test-fast: test-deps typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" -n 2

bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(OUT) $(VENV) build *.egg-info
