from redash.models.base import db, key_type
from redash.models.types import MutableDict, MutableList


class Dashboard(db.Model):
    __tablename__ = "dashboards"
    id = db.Column(db.Integer, primary_key=True)
    layout = db.Column(db.Text)


class Widget(db.Model):
    __tablename__ = "widgets"
    id = db.Column(db.Integer, primary_key=True)
    options = db.Column(db.Text)
    dashboard_id = db.Column(db.Integer, db.ForeignKey("dashboards.id"))


__all__ = ["Dashboard", "MutableDict", "MutableList", "Widget", "db", "key_type"]
