"""`$expand` (DSP0266 7.3): each personality advertises in ProtocolFeaturesSupported.ExpandQuery what its
vendor's capture root advertises (dmtf: every form, two levels) and serves exactly that: `.` expands the
hyperlinks outside `Links` (a collection's Members), `~` those inside, `*` both, `($levels=n)` n deep;
an expanded member is what its own GET answers; the whole answer is one request; a form not advertised
is 501, a malformed value or a level past MaxLevels 400."""
import json
from pathlib import Path

import pytest
from support.mockup import MockupProcess, assert_redfish_error, fast_fleet

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
CAPTURE_OF = {"idrac9": "dell-idrac9-6.00.30-r750", "ilo5": "hpe-ilo5-2.72-dl385gen10plus",
              "xcc": "lenovo-xcc-2.83-sr670v2", "supermicro-x13": "supermicro-x13-bmc-11.01-sys821ge"}
PERSONALITIES = ["dmtf", "idrac9", "idrac10", "ilo5", "ilo6", "xcc", "xcc2", "supermicro-x13"]
LEVELS_1 = "$expand=.($levels=1)"


@pytest.fixture(scope="module")
def bmcs(tmp_path_factory):
    """One BMC of every personality, each in its own mockup process."""
    started, found = [], {}
    try:
        for index, personality in enumerate(PERSONALITIES):
            process = MockupProcess(fast_fleet(count=1, address_base=f"127.0.{120 + index}.", personality=personality),
                                    tmp_path_factory.mktemp(f"expand-{personality}")).start()
            started.append(process)
            found[personality] = process.bmc("esxi01")
        yield found
    finally:
        for process in started:
            process.stop()


def advertised(bmc):
    return bmc.get("/redfish/v1/").json()["ProtocolFeaturesSupported"]["ExpandQuery"]


def system_of(bmc):
    uri = bmc.get("/redfish/v1/Systems").json()["Members"][0]["@odata.id"]
    return uri, bmc.get(uri).json()


@pytest.mark.parametrize("personality", sorted(CAPTURE_OF))
def test_each_vendor_advertises_what_its_capture_root_advertises(bmcs, personality):
    root = json.loads((CAPTURES / CAPTURE_OF[personality] / "redfish/v1/index.json").read_text())
    assert advertised(bmcs[personality]) == root["ProtocolFeaturesSupported"]["ExpandQuery"]


def test_the_later_generations_advertise_as_their_family_and_dmtf_every_form(bmcs):
    assert advertised(bmcs["idrac10"]) == advertised(bmcs["idrac9"])
    assert advertised(bmcs["ilo6"]) == advertised(bmcs["ilo5"])
    assert advertised(bmcs["xcc2"]) == advertised(bmcs["xcc"])
    assert advertised(bmcs["dmtf"]) == {"ExpandAll": True, "Levels": True, "Links": True, "NoLinks": True,
                                        "MaxLevels": 2}


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_boot_options_expanded_are_the_members_as_read_one_by_one_in_one_request(bmcs, personality):
    bmc = bmcs[personality]
    _uri, system = system_of(bmc)
    options = system["Boot"]["BootOptions"]["@odata.id"]
    listed = bmc.get(options).json()
    one_by_one = [bmc.get(m["@odata.id"]).json() for m in listed["Members"]]
    bmc.delete("/mockup/stats")
    response = bmc.get(f"{options}?{LEVELS_1}")
    assert response.status_code == 200, response.text
    expanded = response.json()
    assert expanded["Members"] == one_by_one and len(one_by_one) >= 3
    assert expanded["Members@odata.count"] == listed["Members@odata.count"]
    assert response.headers["ETag"] == expanded.get("@odata.etag", response.headers["ETag"])
    assert bmc.stats()["by_path"] == {f"GET {options}": 1}


@pytest.mark.parametrize("personality", PERSONALITIES)
def test_network_device_functions_expand_with_their_etags_where_the_vendor_puts_them_in_bodies(bmcs, personality):
    bmc = bmcs[personality]
    adapters = bmc.get(bmc.get("/redfish/v1/Chassis").json()["Members"][0]["@odata.id"]).json()["NetworkAdapters"]["@odata.id"]
    adapter = bmc.get(bmc.get(adapters).json()["Members"][0]["@odata.id"]).json()
    functions = adapter["NetworkDeviceFunctions"]["@odata.id"]
    expanded = bmc.get(f"{functions}?{LEVELS_1}").json()["Members"]
    for member in expanded:
        alone = bmc.get(member["@odata.id"])
        assert member == alone.json()
        assert member.get("@odata.etag") in (None, alone.headers["ETag"])


def test_dot_expands_outside_links_tilde_inside_star_both(bmcs):
    bmc = bmcs["dmtf"]
    uri, system = system_of(bmc)
    dot = bmc.get(f"{uri}?$expand=.").json()
    assert dot["Boot"]["BootOptions"]["Members"] and dot["Links"] == system["Links"]
    assert dot["@Redfish.Settings" if "@Redfish.Settings" in system else "Actions"] == \
        system["@Redfish.Settings" if "@Redfish.Settings" in system else "Actions"]      # annotations, Actions: never
    tilde = bmc.get(f"{uri}?$expand=~").json()
    assert tilde["Boot"]["BootOptions"] == system["Boot"]["BootOptions"]
    manager = system["Links"]["ManagedBy"][0]["@odata.id"]
    alone = bmc.get(manager).json()     # its DateTime (and so its ETag) moves between two reads
    assert {k: v for k, v in tilde["Links"]["ManagedBy"][0].items() if k not in ("DateTime", "@odata.etag")} == \
        {k: v for k, v in alone.items() if k not in ("DateTime", "@odata.etag")}
    star = bmc.get(f"{uri}?$expand=*").json()
    assert star["Links"]["ManagedBy"][0]["@odata.id"] == manager and "Members" in star["Boot"]["BootOptions"]
    assert bmc.get(f"/redfish/v1/Systems?$expand=~").json()["Members"] == [{"@odata.id": uri}]


def test_two_levels_expand_the_members_and_their_links_but_no_deeper(bmcs):
    bmc = bmcs["dmtf"]
    uri, _system = system_of(bmc)
    member = bmc.get("/redfish/v1/Systems?$expand=.($levels=2)").json()["Members"][0]
    assert member["@odata.id"] == uri
    options = member["Boot"]["BootOptions"]
    assert options["Members"] and all(set(m) == {"@odata.id"} for m in options["Members"])


@pytest.mark.parametrize("personality, query, status, message", [
    ("ilo5", "$expand=*", 501, "QueryParameterUnsupported"),              # iLO: `.` only (capture)
    ("ilo5", "$expand=~", 501, "QueryParameterUnsupported"),
    ("ilo5", "$expand=.($levels=2)", 400, "QueryParameterOutOfRange"),    # MaxLevels 1
    ("dmtf", "$expand=.($levels=3)", 400, "QueryParameterOutOfRange"),
    ("dmtf", "$expand=.($levels=0)", 400, "QueryParameterOutOfRange"),
    ("dmtf", "$expand=all", 400, "QueryParameterValueFormatError"),
    ("dmtf", "$select=Id", 501, "QueryParameterUnsupported"),             # other query options: still 501
    ("idrac9", "$expand=.($levels=2)", 400, "QueryParameterOutOfRange"),
])
def test_what_is_not_advertised_is_refused(bmcs, personality, query, status, message):
    response = bmcs[personality].get(f"/redfish/v1/Systems?{query}")
    assert_redfish_error(response, status, message)


def test_expand_on_a_write_is_refused(bmcs):
    bmc = bmcs["dmtf"]
    uri, _system = system_of(bmc)
    response = bmc.patch(f"{uri}?$expand=.", {"AssetTag": "x"})
    assert_redfish_error(response, 501, "QueryParameterUnsupported")


@pytest.mark.parametrize("personality", ["dmtf", "xcc", "supermicro-x13"])
def test_expanding_the_public_root_without_credentials_expands_nothing_protected(bmcs, personality):
    """The service root is public; what it links to is not. Unauthenticated, links stay links."""
    bmc = bmcs[personality]
    response = bmc.get("/redfish/v1/?$expand=*($levels=2)", auth=None)
    assert response.status_code == 200, response.text
    body = response.json()
    for name in ("Systems", "Managers", "AccountService", "SessionService"):
        if name in body:
            assert set(body[name]) == {"@odata.id"}, (name, body[name])
    authenticated = bmc.get("/redfish/v1/?$expand=*($levels=1)").json()
    assert "Members" in authenticated["Systems"]          # with credentials the same query does expand
