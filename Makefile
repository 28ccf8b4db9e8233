# The two commands of the README: `make demo` (the lab, end to end) and `make test` (everything).
# Each makes its own virtualenv in .venv from the pinned pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

COLLECTION := collections/ansible_collections/vmw/sanboot
# ansible-test runs pip with only HOME and PATH; this HOME carries the machine's pip settings.
ATHOME := $(CURDIR)/.state/ansible-test-home
ANSIBLE_TEST := cd $(COLLECTION) && HOME=$(ATHOME) $(CURDIR)/$(VENV)/bin/ansible-test

.PHONY: test pytest sanity units lint demo lab venv clean system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

# Every test: the collection's sanity and unit tests (ansible-test), ansible-lint on the role and
# playbooks, then pytest: the mockup, DMTF's two validators against it, the modules run by
# ansible-playbook against it, and the playbooks end to end on a lab fleet.
test: system-deps sanity units lint pytest

# The tgt SAN backend needs a userspace iSCSI target, libiscsi and a C compiler (Debian packages;
# installed as root on a fresh machine, skipped when already there).
SYSTEM_PACKAGES := tgt libiscsi-bin libiscsi-dev pkg-config gcc
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

lint: $(STAMP)
	ANSIBLE_CONFIG=$(CURDIR)/ansible.cfg $(VENV)/bin/ansible-lint --nocolor $(COLLECTION)/roles $(COLLECTION)/playbooks

# --durations: the slowest tests in every report, to see where the next personality's cost goes.
pytest: $(STAMP)
	$(PY) -m pytest tests --durations=20 $(PYTEST_ARGS)

$(ATHOME): scripts/ansible_test_home.sh scripts/ansible_test_get_pip.py
	scripts/ansible_test_home.sh $(ATHOME)

sanity: $(STAMP) $(ATHOME)
	$(ANSIBLE_TEST) sanity --python 3.11 --requirements

units: $(STAMP) $(ATHOME)
	$(ANSIBLE_TEST) units --python 3.11 --venv --requirements

# The embedded lab end to end: start the fleet, run the rollout playbook (configure, boot order,
# reboot, verify the boot from each host's LUN), print the per-host summary and the report, stop.
demo: $(STAMP) $(if $(filter tgt,$(SAN)),system-deps)
	SAN=$(SAN) $(PY) scripts/demo.py

# Serve the lab fleet in the foreground until Ctrl-C (state in .state/lab).
lab: $(STAMP)
	$(VENV)/bin/sanboot-mockup serve --fleet inventories/lab/fleet.yml --state-dir .state/lab --ready-file .state/lab.ready

clean:
	rm -rf $(VENV) .state reports

# The fleet benchmark (issue 11, benchmarks/fleet_rollout.py): rollout, no-change run and report on a
# generated fleet, then bmc_info beside community.general's redfish_info (its own .venv-peer).
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--hosts 40 --latency-ms 100".
.PHONY: bench
bench: $(STAMP)
	$(PY) benchmarks/fleet_rollout.py $(BENCH_ARGS)

# The chaos rollout on 100 BMCs (issue 12, benchmarks/chaos_rollout.py): the invariants table with counts.
# Options through CHAOS_ARGS, e.g. make chaos CHAOS_ARGS="--hosts 100 --seed 7".
.PHONY: chaos
chaos: $(STAMP)
	$(PY) benchmarks/chaos_rollout.py $(CHAOS_ARGS)
