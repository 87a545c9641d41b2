"""Enterprise size classes of Decree 80/2021/ND-CP (same criteria as Decree 39/2018).

Pure code, no Django. A firm belongs to the smallest class whose employee cap it
meets AND whose revenue cap OR capital cap it meets. Employees are the annual
average of staff covered by social insurance; money is in whole VND.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

BILLION = 1_000_000_000


class SectorGroup(StrEnum):
    # Agriculture, forestry, fishery, industry and construction share caps.
    PRODUCTION = "production"
    TRADE_SERVICES = "trade_services"


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@dataclass(frozen=True)
class Cap:
    size_class: SizeClass
    max_employees: int
    max_revenue: int
    max_capital: int


CAPS: dict[SectorGroup, tuple[Cap, ...]] = {
    SectorGroup.PRODUCTION: (
        Cap(SizeClass.MICRO, 10, 3 * BILLION, 3 * BILLION),
        Cap(SizeClass.SMALL, 100, 50 * BILLION, 20 * BILLION),
        Cap(SizeClass.MEDIUM, 200, 200 * BILLION, 100 * BILLION),
    ),
    SectorGroup.TRADE_SERVICES: (
        Cap(SizeClass.MICRO, 10, 10 * BILLION, 3 * BILLION),
        Cap(SizeClass.SMALL, 50, 100 * BILLION, 50 * BILLION),
        Cap(SizeClass.MEDIUM, 100, 300 * BILLION, 100 * BILLION),
    ),
}


def size_class_for(
    *,
    sector_group: SectorGroup,
    employees: int,
    annual_revenue: int | None,
    total_capital: int | None,
) -> SizeClass:
    """Return the Decree 80/2021 size class; a missing figure cannot qualify.

    Raises ValueError on negative figures, which no real firm reports.
    """
    for value in (employees, annual_revenue, total_capital):
        if value is not None and value < 0:
            raise ValueError("Figures for size classes cannot be negative.")
    for cap in CAPS[sector_group]:
        if employees > cap.max_employees:
            continue
        revenue_ok = annual_revenue is not None and annual_revenue <= cap.max_revenue
        capital_ok = total_capital is not None and total_capital <= cap.max_capital
        if revenue_ok or capital_ok:
            return cap.size_class
    return SizeClass.LARGE
