"""Reference implementation of the Mon Compte journey (FastAPI): JSON API and French pages.

``reference_impl.app.create_app`` builds the application; ``README.md`` is the
contract it implements for the harness drivers.
"""
