class AuthService:
    """Imported by a revision for its token helpers, which it does not call."""
