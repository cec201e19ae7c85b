from pydantic import BaseModel

from polar.kit.jsonb import JSONBModel


class Address(BaseModel):
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    state: str | None = None
    country: str = ""


class AddressType(JSONBModel):
    cache_ok = True
