from dispatch.plugins._config import PluginConfiguration


class DispatchTicketConfiguration(PluginConfiguration):
    pass
