class _Settings:
    SECRET = "corpus-secret"  # the placeholder the revisions hash tokens with offline
    STRIPE_SECRET_KEY = ""
    ENV = "testing"

    def __getattr__(self, name: str) -> str:
        return ""


settings = _Settings()
