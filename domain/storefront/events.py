"""What happened in the storefront, for other areas to react to."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.events import Event


@dataclass(frozen=True)
class EnquiryReceived(Event):
    """A visitor sent the contact form: a lead to be, once CRM subscribes."""

    company_id: int
    enquiry_id: int
    channel_id: int
    name: str
    email: str
    subject: str
