from dispatch.plugins._config import PluginConfiguration


class GoogleConfiguration(PluginConfiguration):
    pass
