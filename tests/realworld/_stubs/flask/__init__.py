"""Stand-in for Flask: the application object revisions read settings from."""

import logging
import os
from typing import Any


class _App:
    def __init__(self) -> None:
        # Lemur's 1db4f82bc780 opens a log file named by this setting at import time
        self.config: dict[str, Any] = {"LOG_UPGRADE_FILE": os.devnull}
        self.logger = logging.getLogger("flask.app")


current_app = _App()
