"""Stand-in for Flask: the application object revisions read settings from."""

import logging
from typing import Any


class _App:
    def __init__(self) -> None:
        self.config: dict[str, Any] = {}
        self.logger = logging.getLogger("flask.app")


current_app = _App()
