#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: wait_for_boots
short_description: Wait for every host of a batch to boot, in one task, without a fork per waiting host
version_added: 0.1.0
description:
  - Runs M(vmw.sanboot.wait_for_boot) for every host in O(hosts) at once, each in its own thread of the controller's
    worker process, and returns each host's own result in RV(hosts). Run it once per batch (C(run_once) true) with
    O(hosts) the batch (C(ansible_play_batch)); then fail each host on its own with its own result, for example
    C(ansible.builtin.fail) with C(msg) RV(hosts)[inventory_hostname].msg when RV(hosts)[inventory_hostname].failed,
    so that each host's rescue and rollback stay its own.
  - A waiting host holds no Ansible fork. With M(vmw.sanboot.wait_for_boot) per host, a host waits for its boot in a
    fork of its own, so with fewer forks than hosts in a batch the boots queue behind each other.
  - Each host's arguments are its variable O(request_var), a dict of M(vmw.sanboot.wait_for_boot)'s options, the
    connection options (C(baseuri), C(username), C(password), C(ca_path), ...) and C(since), C(iscsi_target),
    C(host_address), C(wait_timeout), C(poll_interval) and the others. They are validated, masked and run by
    M(vmw.sanboot.wait_for_boot)'s own code, so each host's result is what that module returns for it.
  - The variable is read as C(hostvars[host][request_var]), templated in that host's variables. These are the
    host's inventory variables, C(group_vars) and C(host_vars), facts (C(set_fact), C(register)) and extra
    variables; not play variables, C(vars_files), nor the defaults and vars of a role (C(roles:),
    C(import_role) or C(include_role), with or without C(public)), which C(hostvars) never holds. So set the
    request with C(ansible.builtin.set_fact) in each host's own task (with C(no_log) true, as it holds the
    password), where everything of the role is visible, and leave it unset (or null, false, empty) on a host
    that has nothing to wait for.
  - The task's C(environment) (for example C(SANBOOT_DEBUG_LOG)) and check mode apply to every host's wait;
    they are those of the host the task runs once for.
  - This module is never sent to a host. Its action plugin does the work on the controller, and the task must
    run there (C(connection) local, or C(delegate_to) localhost); running it any other way fails with a
    message saying so.
  - Not in the C(group/vmw.sanboot.redfish) action group of C(module_defaults) (its connection options would
    be those of the host the task runs once for); each host's connection options are in its own request.
author:
  - vmw.sanboot engineers (@vmw-sanboot)
attributes:
  check_mode:
    support: full
    description: Each host's wait runs in check mode (it reads the current state once).
  diff_mode:
    support: none
    description: Nothing is configured, so there is no diff.
  action:
    support: full
    description: Runs on the controller only, as an action plugin.
  async:
    support: none
    description: Waits in threads of the controller's worker instead.
  run_once:
    support: full
    description: Meant to run once per batch.
options:
  hosts:
    description:
      - The inventory hostnames to wait for, usually C(ansible_play_batch).
      - A host that is not in the inventory fails the task (it is run once, so it would fail every host).
    type: list
    elements: str
    required: true
  request_var:
    description:
      - The name of each host's variable holding its M(vmw.sanboot.wait_for_boot) arguments.
      - A host whose variable is undefined, null, false or empty is not waited for (RV(skipped_hosts)). A host
        whose variable is not a dict or cannot be templated fails on its own in RV(hosts).
    type: str
    default: sanboot_wait_request
  since_from:
    description:
      - Names of each host's registered M(vmw.sanboot.power) results, in order of preference. The first that reset
        the host (changed) gives the request its C(since) (RV(vmw.sanboot.power#module:since)); a host none of them
        reset is not waited for (RV(skipped_hosts)).
      - A name may go into a registered result, such as C(pass.reset) for the reset M(vmw.sanboot.configure) or
        M(vmw.sanboot.boot_order) ends with (O(vmw.sanboot.configure#module:reboot)).
      - Registered results are host facts, so they are visible here; a role's variables are not.
    type: list
    elements: str
  max_concurrent:
    description:
      - How many hosts are waited for at the same time; V(0) waits for every host of O(hosts) at once.
    type: int
    default: 0
notes:
  - The task itself fails only for its own bad arguments. A host's failure (its bad arguments, its BMC's
    diagnosis, a timeout) is in its RV(hosts) entry (C(failed) true) and in RV(failed_hosts).
  - Each host's result is masked with its own C(no_log) values, as M(vmw.sanboot.wait_for_boot) masks it, and
    then with every host's, so no host's password appears in the combined result.
seealso:
  - module: vmw.sanboot.wait_for_boot
"""

EXAMPLES = r"""
- name: Each host's wait request (no_log, it holds the password)
  ansible.builtin.set_fact:
    sanboot_wait_request:
      baseuri: "{{ bmc_address }}"
      username: "{{ bmc_user }}"
      password: "{{ bmc_password }}"
      since: "{{ reset.since }}"
      iscsi_target:
        name: "{{ iscsi_target_name }}"
        lun: 1
      host_address: "{{ esxi_management_ip }}"
      wait_timeout: 1200
  no_log: true

- name: Wait for every host of the batch at once
  vmw.sanboot.wait_for_boots:
    hosts: "{{ ansible_play_batch }}"
  run_once: true
  delegate_to: localhost
  register: boots

- name: Fail each host on its own, with its own diagnosis
  ansible.builtin.fail:
    msg: "{{ boots.hosts[inventory_hostname].msg }}"
  when: boots.hosts[inventory_hostname].failed | default(false)
"""

RETURN = r"""
hosts:
  description:
    - Each host's result, by inventory hostname, as M(vmw.sanboot.wait_for_boot) returns it (C(booted),
      C(outcome), C(evidence), C(timeline), C(requests), C(msg) on failure, C(invocation) with secrets masked, and
      so on), with C(failed) true or false.
    - A skipped host has C(skipped) true and a C(msg) saying why.
  returned: always
  type: dict
  sample: {"esxi01": {"failed": false, "booted": true, "outcome": "booted", "evidence": "bmc", "requests": ["GET /redfish/v1/"]},
           "esxi02": {"failed": true, "booted": false, "msg": "esxi02 did not boot: no bootable device"}}
failed_hosts:
  description: The hosts whose wait failed, in the order of O(hosts).
  returned: always
  type: list
  elements: str
skipped_hosts:
  description: The hosts whose O(request_var) is unset, null, false or empty, in the order of O(hosts).
  returned: always
  type: list
  elements: str
booted_hosts:
  description: The hosts whose wait succeeded with C(booted) true, in the order of O(hosts).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

ARGUMENT_SPEC = {
    "hosts": {"type": "list", "elements": "str", "required": True},
    "request_var": {"type": "str", "default": "sanboot_wait_request"},
    "since_from": {"type": "list", "elements": "str"},
    "max_concurrent": {"type": "int", "default": 0},
}


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.fail_json(msg="vmw.sanboot.wait_for_boots runs only on the controller, as an action; it reads the other hosts' "
                         "variables, so it cannot run as a module on a host: run it with connection local (or "
                         "delegate_to localhost), through its action plugin")


if __name__ == "__main__":
    main()
