"""French step definitions, one module per part of the guide (shared steps in ``commun``)."""
