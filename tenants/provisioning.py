"""What provisioning a kecamatan does beyond its schema: steps the apps plug in.

`tenants` imports no tenant app. An app that must prepare something when the regency is
loaded (the service catalog) or when a kecamatan is provisioned (its copy of the services)
registers a step here from its `AppConfig.ready()`; `kecamatan_provision` and `load_regency`
run them in order. Each step is idempotent: provisioning again repairs, never duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str  # stable identifier, e.g. "services"
    label: str  # what a person reads in a progress list
    run: Callable  # regency steps: run(actor=...) -> str; kecamatan steps: run(kecamatan=..., actor=...) -> object
    order: int = 100
    # Options of `kecamatan_provision` this step takes as keyword arguments besides kecamatan and
    # actor: "template_version" (the regency template version to copy), "created" (a new kecamatan).
    options: tuple[str, ...] = ()


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
