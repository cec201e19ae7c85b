from typing import Union

from prefect.server.utilities.schemas import PrefectBaseModel


class IntervalSchedule(PrefectBaseModel):
    pass


class CronSchedule(PrefectBaseModel):
    pass


class RRuleSchedule(PrefectBaseModel):
    pass


SCHEDULE_TYPES = Union[IntervalSchedule, CronSchedule, RRuleSchedule]
