DEFAULT_BADGE_DATA = {
    "width": 425,
    "height": 270,
    "background_position": "stretch",
    "items": [],
}
