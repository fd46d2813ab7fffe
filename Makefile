# Set-up and every routine task. On a fresh Debian machine (as root): `make`, then `make test`.
PY      := .venv/bin/python
DEBS    := espeak-ng fonts-noto-core fonts-wqy-microhei poppler-utils gettext \
           lame sox libsox-fmt-mp3 ffmpeg libreoffice-writer-nogui pandoc po4a
STAMP   := .venv/.installed

.PHONY: all install debs extract update status check build test bench clean

all: install extract build

install: $(STAMP)

$(STAMP): requirements.txt
	$(MAKE) debs
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Debian packages the writers need: installed only when one is missing, so `make` stays quick.
debs:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

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
	$(PY) -m pytest -q tests

bench: install
	$(PY) -m bench.run

clean:
	rm -rf build .cache
