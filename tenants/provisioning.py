"""What provisioning a kecamatan does beyond its schema: steps the apps plug in.

`tenants` imports no tenant app. An app that must prepare something when the regency is
loaded (the service catalog) or when a kecamatan is provisioned (its copy of the services)
registers a step here from its `AppConfig.ready()`; `kecamatan_provision` and `load_regency`
run them in order. Each step is idempotent: provisioning again repairs, never duplicates.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str  # stable identifier, e.g. "services"
    label: str  # what a person reads in a progress list
    run: Callable  # regency steps: run(actor=...) -> str; kecamatan steps: run(kecamatan=..., actor=...) -> object
    order: int = 100


_regency_steps: dict[str, Step] = {}
_kecamatan_steps: dict[str, Step] = {}


def register_regency_step(step: Step) -> None:
    """Run once when the regency is loaded, before any kecamatan is provisioned."""
    _regency_steps[step.name] = step


def register_kecamatan_step(step: Step) -> None:
    """Run for each kecamatan after its schema exists (the step enters the schema itself)."""
    _kecamatan_steps[step.name] = step


def regency_steps() -> list[Step]:
    return sorted(_regency_steps.values(), key=lambda s: (s.order, s.name))


def kecamatan_steps() -> list[Step]:
    return sorted(_kecamatan_steps.values(), key=lambda s: (s.order, s.name))


def kecamatan_step_run(step: Step, *, kecamatan, actor: str, **options):
    """Run one kecamatan step, giving it the provisioning options its `run` names (e.g.
    `template_version_id` from the ops console); a step that names none gets only
    `kecamatan` and `actor`, so options never break a step written before them."""
    params = inspect.signature(step.run).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        options = {name: value for name, value in options.items() if name in params}
    return step.run(kecamatan=kecamatan, actor=actor, **options)
