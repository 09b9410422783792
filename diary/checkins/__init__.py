"""The weekly check: the function questionnaire, the leg-raise test and their trends."""
