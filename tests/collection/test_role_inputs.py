"""The role's own input check: a host missing the values the iSCSI configuration needs fails before the BMC
is written to, naming the role's variables (not the module's options)."""
from support.mockup import fast_fleet, free_port
from test_supermicro import role_run


def test_missing_iscsi_values_fail_the_host_before_any_write_naming_the_role_variables(mockup_factory, tmp_path):
    mockup = mockup_factory(fast_fleet(personality="dmtf", host_base="127.0.33.", host_port=free_port()))
    bmc = mockup.bmc("esxi01")
    code, output = role_run(mockup, tmp_path / "run", configure_iscsi=True,
                            unset=("sanboot_initiator_address", "sanboot_target_address"))
    assert code != 0, output[-3000:]
    assert ("esxi01: sanboot_configure_iscsi is true, so these are required: sanboot_initiator_address, "
            "sanboot_target_address (nothing was changed)") in output, output[-3000:]
    assert "esxi01: esxi01:" not in output
    stats = bmc.stats()
    assert not {m for m in stats["by_method"] if m != "GET"}, stats      # nothing written, no session opened
    assert not (tmp_path / "run" / "backups").exists()
