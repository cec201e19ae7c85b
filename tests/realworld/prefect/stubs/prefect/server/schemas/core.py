from prefect.server.utilities.schemas import PrefectBaseModel


class TaskRunPolicy(PrefectBaseModel):
    pass


class TaskRunResult(PrefectBaseModel):
    pass


class Parameter(PrefectBaseModel):
    pass


class Constant(PrefectBaseModel):
    pass


class QueueFilter(PrefectBaseModel):
    pass


class CreatedBy(PrefectBaseModel):
    pass


class UpdatedBy(PrefectBaseModel):
    pass


class WorkPoolStorageConfiguration(PrefectBaseModel):
    pass


class ConcurrencyOptions(PrefectBaseModel):
    pass
