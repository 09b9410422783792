"""One sample entry, as the API and the log page take it."""

SAMPLE_ENTRY = {
    "pain": 6,
    "locations": ["symphysis", "si_left"],
    "sensations": ["stabbing"],
    "triggers": ["stairs", "turning_in_bed"],
    "night_wakings": 2,
    "relief": ["pelvic_belt"],
    "note": "",
}
