"""Step definitions, drivers, site profiles and the ``moncompte`` command line."""
