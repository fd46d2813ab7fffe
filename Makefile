# Set-up and every routine task. On a fresh Debian machine (as root): `make`, then `make test`.
PY      := .venv/bin/python
# Debian packages the writers, validators and browser tests need (installed with their recommends).
DEBS    := espeak-ng fonts-noto-core fonts-wqy-microhei poppler-utils gettext \
           lame sox libsox-fmt-mp3 ffmpeg libreoffice-writer-nogui libreoffice-draw-nogui pandoc po4a \
           liblouis20 liblouis-bin liblouis-data default-jre-headless chromium chromium-driver librsvg2-bin
STAMP   := .venv/.installed
AXE     := tools/axe/node_modules/.package-lock.json
ACE     := tools/ace/node_modules/.package-lock.json

.PHONY: all install debs lock lint datacheck extract update status check build test test-fast bench serve clean

all: install extract build

install: $(STAMP) $(AXE) $(ACE)

# axe-core for the desk's accessibility tests, pinned in tools/axe/package-lock.json; remade only
# when the lock file is newer than what npm last installed.
$(AXE): tools/axe/package.json tools/axe/package-lock.json | debs
	npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error

# DAISY Ace for the EPUB tests; its puppeteer drives Debian's chromium, never a download of its own.
$(ACE): tools/ace/package.json tools/ace/package-lock.json | debs
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools/ace --no-audit --no-fund --loglevel=error

$(STAMP): pyproject.toml requirements.lock
	$(MAKE) debs
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Installed only when one is missing, so `make` stays quick.
debs:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Remake requirements.lock from pyproject.toml in a scratch environment (after changing a dependency).
lock:
	rm -rf .cache/lock-venv && python3 -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install --quiet --disable-pip-version-check --upgrade setuptools '.[test,lint]'
	( echo "# Every Python package, transitive ones included, at the version the pipeline was tested with."; \
	  echo "# Made by \`make lock\` from pyproject.toml; \`make\` installs exactly these into .venv."; \
	  .cache/lock-venv/bin/pip freeze --all --exclude-editable | grep -v -e '^pip==' -e '^leaflet-pipeline' ) > requirements.lock
	rm -rf .cache/lock-venv

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The committed data (templates in step with the sources, translations complete, clean and
# honestly labelled), judged apart from the unit tests so that committing real work never breaks a test.
datacheck: install
	$(PY) -m publishing.translation.datacheck

extract: install
	$(PY) pipeline.py extract

update: install
	$(PY) pipeline.py update

status: install
	$(PY) pipeline.py status

check: install
	$(PY) pipeline.py check

build: install
	$(PY) pipeline.py build

test: install
	$(PY) -m pytest tests

test-fast: install
	$(PY) -m pytest -m 'not slow' tests

bench: install
	$(PY) -m bench.run

serve: install
	$(PY) pipeline.py serve

clean:
	rm -rf build .cache
