from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def key_type(name: str):
    """Redash's primary keys are integers unless a deployment configures otherwise."""
    return db.Integer
