from prefect.server.utilities.schemas import PrefectBaseModel


class ReceivedEvent(PrefectBaseModel):
    pass
