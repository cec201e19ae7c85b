from dispatch.plugins._config import PluginConfiguration


class SlackConversationConfiguration(PluginConfiguration):
    pass


class SlackContactConfiguration(PluginConfiguration):
    pass


class SlackConfiguration(PluginConfiguration):
    pass
