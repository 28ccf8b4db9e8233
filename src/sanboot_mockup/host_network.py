"""The host's own management address: a TCP listener that is up only while the host's OS runs,
so a client can prove from the network that the host booted (what a BMC alone cannot show)."""
import asyncio
import logging

log = logging.getLogger("sanboot_mockup.host_network")


class HostListener:
    def __init__(self, address=None, port=443):
        self.address = address
        self.port = port
        self.server = None

    @property
    def listening(self):
        return self.server is not None

    async def up(self):
        if not self.address or self.server is not None:
            return
        try:
            self.server = await asyncio.start_server(_answer, self.address, self.port, reuse_address=True)
        except OSError as exc:
            # The boot itself went fine; only the network proof is missing, and the log says why.
            log.warning("host address %s:%s cannot listen: %s", self.address, self.port, exc)

    def down(self):
        if self.server is not None:
            self.server.close()
            self.server = None

    def view(self):
        return {"address": self.address, "port": self.port, "listening": self.listening}


async def _answer(reader, writer):
    # Accepting the connection is the proof; the host has nothing to say to the controller.
    writer.close()
