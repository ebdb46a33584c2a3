"""The directory's two APIs.

- :mod:`.public`: the read-only HSDS 3.0 API of a tenant's public guide (no login, CORS open),
  mounted at ``/api/hsds/<guide>/``;
- :mod:`.partner`: the authenticated REST API (django-ninja) through which partners keep their
  own organisations' offers current, mounted at ``/api/v1/``, with personal API tokens managed in
  :mod:`.token_views`.
"""
