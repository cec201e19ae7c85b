from polar.kit.jsonb import JSONBModel


class TaxIDType(JSONBModel):
    cache_ok = True
