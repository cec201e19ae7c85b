from polar.kit.jsonb import JSONBModel


class FilterType(JSONBModel):
    cache_ok = True
