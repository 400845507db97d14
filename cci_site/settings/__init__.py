"""Settings split by purpose: ``base`` (everything, read from the environment),
``dev``, ``test`` and ``production``."""
