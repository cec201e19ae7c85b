INCIDENT_RESOLUTION_DEFAULT = "Description of the actions taken to resolve the incident."
CASE_RESOLUTION_DEFAULT = "Description of the actions taken to resolve the case."
