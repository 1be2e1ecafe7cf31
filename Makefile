# Planuppföljning: `make run` serves the demo, `make test` runs the whole suite (README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
IDP_PORT ?= 9400
DEMO_IDP := http://localhost:$(IDP_PORT)

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
	@echo "Single sign-on in the demo: a local test identity provider (oidc-provider-mock) at $(DEMO_IDP); log in through it as nina (new, no role yet) or per (project leader)"
	$(PY) -W ignore -m oidc_provider_mock --port $(IDP_PORT) \
	  --user-claims '{"sub": "nina", "given_name": "Nina", "family_name": "Nyberg", "email": "nina@exempel.invalid", "hsa_org": "SE2321000214-demo1"}' \
	  --user-claims '{"sub": "per", "given_name": "Per", "family_name": "Persson", "email": "per.persson@exempel.invalid", "hsa_org": "2380", "groups": ["plan-projektledare"]}' \
	  > .demo-idp.log 2>&1 & idp=$$!; trap 'kill $$idp 2>/dev/null' EXIT INT TERM; \
	OIDC_PROVIDERS=demo OIDC_DEMO_NAME="demo-inloggningen (lokal testleverantör)" \
	OIDC_DEMO_DISCOVERY_URL=$(DEMO_IDP)/.well-known/openid-configuration \
	OIDC_DEMO_CLIENT_ID=planuppfoljning-demo OIDC_DEMO_CLIENT_SECRET=demo-only OIDC_DEMO_ORGANISATION_CLAIM=hsa_org \
	OIDC_DEMO_ROLE_CLAIM=groups OIDC_DEMO_ROLE_MAP=plan-projektledare=Projektledare \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	bash scripts/test.sh

# Regenerates the Swedish catalogue after changing user-facing strings; commit both .po and .mo.
messages: install
	$(PY) manage.py makemessages --locale sv --no-obsolete --add-location file --ignore ".venv/*"
	$(PY) manage.py compilemessages --locale sv
