def get_key_type_from_certificate(body: str) -> str:
    """Lemur parses the PEM body; a certificate is only read from rows offline never sees."""
    raise ValueError("certificate parsing is not available in the migration check")
