from typing import Any

from redash.utils import gen_query_hash


class BaseQueryRunner:
    def __init__(self, configuration: dict[str, Any]) -> None:
        self.configuration = configuration

    def gen_query_hash(self, query_text: str, set_auto_limit: bool = False) -> str:
        return gen_query_hash(query_text)


def get_query_runner(query_runner_type: str, configuration: dict[str, Any]) -> BaseQueryRunner:
    return BaseQueryRunner(configuration)
