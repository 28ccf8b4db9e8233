# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every vmw.sanboot module."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  baseuri:
    description:
      - Address of the BMC's Redfish service, as C(host), C(host:port) or C(https://host:port).
      - Plain C(http://) is accepted only when written out explicitly.
    type: str
    required: true
  username:
    description:
      - BMC user name. Required unless O(auth_token) is given.
    type: str
  password:
    description:
      - BMC password. Never logged, never returned.
    type: str
  auth_token:
    description:
      - An existing Redfish session token (C(X-Auth-Token)) to reuse instead of logging in.
      - The module does not log a reused session out; whoever created it owns it.
    type: str
  validate_certs:
    description:
      - Verify the BMC's TLS certificate against O(ca_path), or the system's trusted CAs.
      - Set to V(false) only for a lab; a warning is returned when it is off.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA(s) that signed the BMC's certificate.
      - When unset, the system CA bundle is used (environment variables such as
        C(REQUESTS_CA_BUNDLE) are ignored so that what is verified is exactly what is configured).
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP response.
    type: int
    default: 30
  retries:
    description:
      - How many times a safe request is retried after a connection error, a 429 or a 503
        (with exponential backoff and jitter, honouring C(Retry-After)).
      - GETs and PATCHes sent with C(If-Match) are also retried after a lost answer; actions such as a
        reset are asked again only after a 429 or 503 answer (nothing was done), never after a lost one.
    type: int
    default: 3
  dialect:
    description:
      - Which vendor dialect to speak. V(auto) detects the vendor from the service root (C(Vendor), C(Oem))
        and the variant from the manager; a vendor without a dialect of its own is spoken to with V(dmtf).
      - V(dmtf) is the standard C(NetworkDeviceFunction.iSCSIBoot) path with C(@Redfish.Settings), task monitors
        and C(BootProgress).
      - V(dell) is Dell iDRAC9 and iDRAC10 (variants C(idrac9), C(idrac10)); configuration jobs, the BIOS
        iSCSI initiator, Lifecycle log diagnosis.
      - V(hpe) is HPE iLO 5 and iLO 6 (variants C(ilo5), C(ilo6)); the System ROM's iSCSI software initiator and
        HPE's boot settings through their settings objects (applied at the next reset, no jobs), boot evidence from
        C(PostState) and C(PostDiscoveryCompleteTimeStamp) (and C(BootProgress) on iLO 6), refusals read from
        C(@Redfish.Settings.Messages) after the reset. See the collection's C(docs/behaviour.md) for the per-vendor table.
      - V(lenovo) is Lenovo XClarity Controller (variants C(xcc), C(xcc2)); iSCSI written to the function's C(Pending)
        object with C(If-Match) (a 412 is read again and retried once), refused before any write where the adapter has
        none; the boot order through C(/Systems/1/Pending) (or the OEM C(BootSettings) on older firmware) and the port's
        iSCSI entry first in the OEM network boot order; boot evidence from C(Oem.Lenovo.SystemStatus) and
        C(NumberOfReboots) (and C(BootProgress) on XCC2), failed logins from the platform log.
      - V(supermicro) is Supermicro X12 and X13 (variants C(x12), C(x13)); no iSCSI settings over Redfish (iscsi_boot is
        refused before any write), boot options found by C(DisplayName), the OEM C(FixedBootOrder) fallback, and a boot
        that the BMC cannot prove (wait_for_boot reports it C(unverified) without the network proof).
      - Every module returns the dialect it used as C(dialect) and C(dialect_variant).
    type: str
    choices: [auto, dell, dmtf, hpe, lenovo, supermicro]
    default: auto
notes:
  - A Redfish session is created for each run and always deleted at the end, also when the module fails.
  - The modules of this collection form the action group C(vmw.sanboot.redfish), so the connection
    options can be set once with C(module_defaults).
requirements:
  - redfish (python-redfish-library) 3.4
  - tenacity
"""
