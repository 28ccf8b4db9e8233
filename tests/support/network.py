"""The host side of the network proof, for tests: does something answer a TCP connection there?"""
import socket


def answers(address, port, timeout=2):
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False
