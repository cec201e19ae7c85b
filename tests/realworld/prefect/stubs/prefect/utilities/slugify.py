import re


def slugify(text: str, **kwargs: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
