from prefect.server.utilities.schemas import PrefectBaseModel


class StateDetails(PrefectBaseModel):
    pass
