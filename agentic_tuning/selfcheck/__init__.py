"""Self-checks for the labs: each ``labNN`` module tells a learner whether an exercise is right."""
