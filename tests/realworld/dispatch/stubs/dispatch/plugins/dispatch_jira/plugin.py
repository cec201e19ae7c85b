from dispatch.plugins._config import PluginConfiguration


class JiraConfiguration(PluginConfiguration):
    pass
