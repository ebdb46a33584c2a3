"""URLs of the API token pages, mounted at ``t/<slug:tenant>/offers/api-tokens/``."""

from django.urls import path

from knotenpunkt.directory.api import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="token_list"),
    path("<uuid:token>/revoke/", token_views.token_revoke, name="token_revoke"),
]
