from typing import Union

from prefect.server.utilities.schemas import PrefectBaseModel


class Firing(PrefectBaseModel):
    pass


class EventTrigger(PrefectBaseModel):
    pass


class CompoundTrigger(PrefectBaseModel):
    pass


ServerTriggerTypes = Union[EventTrigger, CompoundTrigger]
