from dispatch.plugins._config import PluginConfiguration


class PagerdutyConfiguration(PluginConfiguration):
    pass
