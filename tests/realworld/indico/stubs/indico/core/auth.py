class _Multipass:
    """The identity-provider registry; only its default group provider is read."""

    default_group_provider = None


multipass = _Multipass()
