from pydantic import BaseModel


class PluginConfiguration(BaseModel):
    """A plugin's settings; the revisions build them from values they have read."""
