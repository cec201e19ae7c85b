"""Declarative models the revisions import (they never query them offline)."""

from polar.models.base import Model, RecordModel
from polar.models.customer import Customer
from polar.models.organization import Organization


class Account(RecordModel):
    __tablename__ = "accounts"


__all__ = ["Account", "Customer", "Model", "Organization"]
