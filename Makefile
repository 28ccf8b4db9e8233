# The two commands of the README: `make demo` (the lab, end to end) and `make test` (everything).
# Each makes its own virtualenv in .venv from the pinned pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: test demo lab venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

# Every test: the mockup's unit and HTTP tests, and DMTF's two validators against a running mockup.
test: $(STAMP)
	$(PY) -m pytest tests $(PYTEST_ARGS)

# The embedded lab end to end: start the fleet, configure every host's iSCSI boot, reset, wait
# until each host booted from its SAN LUN, print a summary, stop the fleet.
demo: $(STAMP)
	$(PY) scripts/lab_tour.py --fleet inventories/lab/fleet.yml

# Serve the lab fleet in the foreground until Ctrl-C (state in .state/lab).
lab: $(STAMP)
	$(VENV)/bin/sanboot-mockup serve --fleet inventories/lab/fleet.yml --state-dir .state/lab --ready-file .state/lab.ready

clean:
	rm -rf $(VENV) .state reports
