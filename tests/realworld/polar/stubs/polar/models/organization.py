from enum import StrEnum

from polar.models.base import RecordModel


class OrganizationStatus(StrEnum):
    CREATED = "created"
    REVIEW = "review"
    SNOOZED = "snoozed"
    DENIED = "denied"
    ACTIVE = "active"
    BLOCKED = "blocked"
    OFFBOARDING = "offboarding"


class Organization(RecordModel):
    __tablename__ = "organizations"
