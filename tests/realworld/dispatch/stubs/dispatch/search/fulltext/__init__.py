from sqlalchemy_searchable import drop_trigger, sync_trigger, vectorizer

__all__ = ["drop_trigger", "sync_trigger", "vectorizer"]
