from typing import Any


def create(*, db_session: Any, incident_severity_in: Any) -> Any:
    """Inserts the severity through the session, as Dispatch's service does."""
    db_session.add(incident_severity_in)
    db_session.commit()
    return incident_severity_in
