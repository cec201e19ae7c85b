from typing import Union

from prefect.server.utilities.schemas import PrefectBaseModel


class RunDeployment(PrefectBaseModel):
    pass


class SendNotification(PrefectBaseModel):
    pass


ServerActionTypes = Union[RunDeployment, SendNotification]
