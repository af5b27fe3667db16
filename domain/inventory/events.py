"""What happened to pickings, told to the areas above inventory.

Events echo the origins of the pickings and moves they tell about; each area above follows
them filtered on its own origin kinds, so inventory never names who made its pickings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.core.events import Event
from domain.core.origins import Origin
from domain.inventory.models import LocationUsage


@dataclass(frozen=True)
class MovedQuantity:
    """What one move with an origin did when its picking was validated."""

    origin: Origin
    #: Done, in the move's unit (which is its origin line's).
    quantity: Decimal
    #: The usages of the locations the goods left and reached: out to a customer, back from
    #: one, in from a vendor ...
    source: LocationUsage
    destination: LocationUsage


@dataclass(frozen=True)
class OriginPickings:
    """Where the pickings made for one origin stand after the change."""

    origin: Origin
    #: Pickings done.
    done: int
    #: Pickings neither done nor cancelled.
    open: int


@dataclass(frozen=True)
class PickingDone(Event):
    """A picking was validated: its goods moved."""

    company_id: int
    picking_id: int
    #: Its moves that did something and have an origin.
    moves: tuple[MovedQuantity, ...] = ()
    #: The pickings of its origin, when it has one.
    pickings: OriginPickings | None = None


@dataclass(frozen=True)
class PickingCancelled(Event):
    """A picking was cancelled: its reservations are released and its moves will not happen."""

    company_id: int
    picking_id: int
    #: The pickings of its origin, when it has one.
    pickings: OriginPickings | None = None
