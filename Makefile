# The two commands a fresh machine needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= output

.PHONY: demo test install test-deps browser bench clean

demo: install
	$(BIN)/epaper build sample-edition --out $(OUT)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@if command -v npm >/dev/null 2>&1 && npm ci --no-audit --no-fund --silent; then mkdir -p epaper/web/static/vendor/openseadragon && cp -R node_modules/openseadragon/build/openseadragon/openseadragon.min.js node_modules/openseadragon/build/openseadragon/images node_modules/openseadragon/LICENSE.txt epaper/web/static/vendor/openseadragon/; else echo "npm unavailable or failed: the viewer will use plain page images (no deep zoom)"; fi
	touch $@

test-deps: $(VENV)/.test-installed browser

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Browser tests drive Debian's chromium with Playwright (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || { echo "could not install chromium: run 'apt-get install chromium' as root"; exit 1; }; }

test: test-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(OUT) $(VENV) build *.egg-info
