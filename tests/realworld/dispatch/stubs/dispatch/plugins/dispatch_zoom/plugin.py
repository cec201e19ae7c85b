from dispatch.plugins._config import PluginConfiguration


class ZoomConfiguration(PluginConfiguration):
    pass
