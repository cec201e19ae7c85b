from enum import StrEnum

from polar.models.base import RecordModel


class CustomerType(StrEnum):
    individual = "individual"
    team = "team"


class Customer(RecordModel):
    __tablename__ = "customers"
