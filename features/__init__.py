"""The French Gherkin features, shipped as package data (``importlib.resources``)."""
