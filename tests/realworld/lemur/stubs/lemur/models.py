from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

metadata = MetaData()

certificate_notification_associations = Table(
    "certificate_notification_associations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notification_id", Integer, ForeignKey("notifications.id", ondelete="cascade")),
    Column("certificate_id", Integer, ForeignKey("certificates.id", ondelete="cascade")),
)
