from dispatch.plugins._config import PluginConfiguration


class OpsgenieConfiguration(PluginConfiguration):
    pass
