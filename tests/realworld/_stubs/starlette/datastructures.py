"""Stand-in for starlette's URL and Secret."""


class URL(str):
    pass


class Secret:
    def __init__(self, value: str) -> None:
        self._value = value

    def __str__(self) -> str:
        return self._value
