"""sanboot-mockup: a stateful Redfish BMC fleet simulator for testing vmw.sanboot."""

__version__ = "0.1.0"
