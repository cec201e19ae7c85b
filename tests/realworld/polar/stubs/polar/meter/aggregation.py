from polar.kit.jsonb import JSONBModel


class AggregationType(JSONBModel):
    cache_ok = True
