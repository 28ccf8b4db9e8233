"""A vendor log's entry collection and its entries (Dell's Lclog, HPE's IML): both rendered from
the same firmware events by the personality's own `entries(bmc)`."""
from ..errors import not_found
from ..http import collection, reply


def entry_routes(entries_uri, entries, name, description, newest_first=False):
    """Routes for GET `entries_uri` and GET `entries_uri/<id>`."""
    async def list_entries(request, bmc):
        found = entries(bmc)
        found = list(reversed(found)) if newest_first else found
        body = collection(entries_uri, "#LogEntryCollection.LogEntryCollection", name, [])
        body.update({"Members": found, "Members@odata.count": len(found), "Description": description})
        return reply(body, request=request)

    async def get_entry(request, bmc, entry_id):
        entry = next((e for e in entries(bmc) if e["Id"] == entry_id), None)
        if entry is None:
            raise not_found("LogEntry", entry_id)
        return reply(entry, request=request)

    return [(entries_uri, {"GET": list_entries}), (entries_uri + "/{entry_id}", {"GET": get_entry})]
