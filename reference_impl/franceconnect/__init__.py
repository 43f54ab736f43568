"""FranceConnect in the reference implementation: the OIDC client and its journey, and a stand-in provider.

- ``client``: the OpenID Connect client (Authlib for OAuth 2.0, joserfc for the JWTs);
- ``models``: what the client keeps in the database (requests in flight, links, sessions);
- ``flow``: creating Mon Compte and logging in with FranceConnect, over the core service;
- ``routes``: the pages and JSON API routes (contract: ``reference_impl/README.md``, « FranceConnect »);
- ``simulator``: a FranceConnect stand-in provider for local and CI use (``moncompte fc-simulator``).
"""
