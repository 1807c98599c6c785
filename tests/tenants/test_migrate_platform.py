"""migrate_platform: the shared schema, the template, then every kecamatan, with the heap frozen
before the kecamatan (docs/architecture.md, Provisioning)."""

import gc
from importlib import import_module

migrate_platform = import_module("tenants.management.commands.migrate_platform")


def test_it_freezes_the_heap_after_the_shared_and_template_schemas_and_before_the_kecamatan(monkeypatch):
    # given: nothing frozen yet (the suite's own setup ran migrate_platform in this process)
    gc.unfreeze()
    steps = []

    def command(name, **options):
        steps.append(("shared" if options.get("shared") else "kecamatan", gc.get_freeze_count()))

    monkeypatch.setattr(migrate_platform, "call_command", command)
    monkeypatch.setattr(
        migrate_platform, "template_schema_ensure", lambda **options: steps.append(("template", gc.get_freeze_count()))
    )

    # when
    migrate_platform.Command().handle(executor="standard", verbosity=0)

    # then
    assert [step for step, _frozen in steps] == ["shared", "template", "kecamatan"]
    assert steps[0][1] == 0 and steps[1][1] == 0
    assert steps[2][1] > 10_000  # Django, the apps and the models: out of the collector's scans
