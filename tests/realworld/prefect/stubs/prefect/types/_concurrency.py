from prefect.server.utilities.schemas import PrefectBaseModel


class ConcurrencyLeaseHolder(PrefectBaseModel):
    pass
