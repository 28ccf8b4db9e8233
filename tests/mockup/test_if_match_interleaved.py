"""If-Match holds when two PATCHes interleave: both requests' headers reach the BMC before either
body, so both handlers are waiting on their bodies at once. The first body sent wins; the second is
checked against the resource as the winner left it and gets 412. (A handler that rendered the
resource before awaiting its body let both win; the threaded test in test_protocol.py caught that
only sometimes.)"""
import base64
import http.client
import json
import ssl
import time
from urllib.parse import urlsplit

import pytest
from support.mockup import MockupProcess, fast_fleet

# (personality, PATCH path under the service, two bodies that each change the resource)
CASES = [
    ("dmtf", "/redfish/v1/Systems/1", "Boot", [{"Boot": {"BootSourceOverrideTarget": t}} for t in ("Pxe", "Cd")]),
    ("ilo6", "/redfish/v1/Systems/1", "Boot", [{"Boot": {"BootSourceOverrideTarget": t}} for t in ("Pxe", "Cd")]),
    ("xcc", "/redfish/v1/Systems/1", "Boot", [{"Boot": {"BootSourceOverrideTarget": t}} for t in ("Pxe", "Cd")]),
    ("supermicro-x13", "/redfish/v1/Systems/1", "Boot",
     [{"Boot": {"BootSourceOverrideTarget": t}} for t in ("Pxe", "Cd")]),
    # Lenovo's OEM order of boot classes: the upcoming order is what a PATCH changes.
    ("xcc", "/redfish/v1/Systems/1/Oem/Lenovo/BootSettings/BootOrder.BootOrder", "BootOrderNext",
     [{"BootOrderNext": order} for order in (["Hard Disk", "Network", "CD/DVD Rom", "USB Storage"],
                                             ["CD/DVD Rom", "Network", "Hard Disk", "USB Storage"])]),
]


@pytest.fixture(params=CASES, ids=[f"{case[0]}-{case[2]}" for case in CASES])
def case(request, tmp_path):
    personality = request.param[0]
    process = MockupProcess(fast_fleet(count=1, address_base="127.0.26.", personality=personality), tmp_path)
    process.start()
    yield process, request.param
    process.stop()


def _open(entry):
    url = urlsplit(entry["base_uri"])
    context = ssl.create_default_context(cafile=entry["ca_file"])
    return http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=10)


def _send_headers(connection, entry, path, body, etag):
    """The request line and headers only; the body follows later with connection.send()."""
    credentials = base64.b64encode(f"{entry['username']}:{entry['password']}".encode()).decode()
    connection.putrequest("PATCH", path)
    for name, value in (("Authorization", f"Basic {credentials}"), ("Content-Type", "application/json"),
                        ("Content-Length", str(len(body))), ("If-Match", etag)):
        connection.putheader(name, value)
    connection.endheaders()


def _patch_interleaved(entry, path, bodies, etag):
    encoded = [json.dumps(b).encode() for b in bodies]
    connections = [_open(entry) for _ in encoded]
    for connection, body in zip(connections, encoded):
        _send_headers(connection, entry, path, body, etag)
    time.sleep(0.3)  # both handlers are now inside their await on the body
    results = []
    for connection, body in zip(connections, encoded):
        connection.send(body)
        response = connection.getresponse()
        results.append((response.status, response.read()))
        connection.close()
    return results


def test_the_second_of_two_interleaved_patches_with_one_etag_gets_412(case):
    process, (_, path, key, bodies) = case
    bmc = process.bmc()
    etag = bmc.get(path).headers["ETag"]
    results = _patch_interleaved(bmc.entry, path, bodies, etag)
    assert [status for status, _ in results] == [200, 412], results
    now = bmc.json(path)[key]
    # The first body's values are what the resource holds (Boot has other properties besides).
    assert (now == bodies[0][key]) if key == "BootOrderNext" else (now | bodies[0][key] == now), now

    messages = json.loads(results[1][1])["error"]["@Message.ExtendedInfo"]
    assert [m["MessageId"].rsplit(".", 1)[-1] for m in messages] == ["PreconditionFailed"], messages
