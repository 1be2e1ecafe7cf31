# Planuppföljning: `make run` serves the demo, `make test` runs the whole suite (README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install messages benchmark

$(VENV)/.installed: pyproject.toml build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.3"
	$(PY) -m pip install --quiet --build-constraint build-constraints.txt -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	@# The PDF report needs Pango (usually already on Debian); install it when missing.
	@ldconfig -p | grep -q libpangoft2-1.0 || { echo "Installing Pango for the PDF report"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null"; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_plan
	$(PY) manage.py load_demo_users
	$(PY) manage.py load_demo_followup
	$(PY) manage.py load_demo_meetings
	$(PY) manage.py activate_due_revisions
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	bash scripts/test.sh

# Regenerates the Swedish catalogue after changing user-facing strings; commit both .po and .mo.
messages: install
	$(PY) manage.py makemessages --locale sv --no-obsolete --add-location file --ignore ".venv/*"
	$(PY) manage.py compilemessages --locale sv
