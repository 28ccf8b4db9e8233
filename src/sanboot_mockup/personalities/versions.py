"""The (major, minor) of a BMC's firmware string, for personalities whose surface changes with it."""


def firmware_version(cfg):
    try:
        return tuple(int(part) for part in str(cfg.firmware).split(".")[:2])
    except ValueError:
        return (0, 0)
