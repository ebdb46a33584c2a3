"""Top-level URLs. Tenant pages live under ``/t/<tenant>/``; see the tenancy middleware."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from knotenpunkt.core import views as core_views
from knotenpunkt.core.auth_forms import EmailAuthenticationForm
from knotenpunkt.directory.api.partner import api as partner_api

admin.site.site_header = "Knotenpunkt"
admin.site.site_title = "Knotenpunkt"

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("tenants/", core_views.tenant_choice, name="tenant_choice"),
    path("accounts/", include(account_patterns)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("t/<slug:tenant>/", include("knotenpunkt.core.urls")),
    path("t/<slug:tenant>/partners/", include("knotenpunkt.partners.urls")),
    path("t/<slug:tenant>/structure/", include("knotenpunkt.bodies.urls")),
    path("t/<slug:tenant>/contacts/", include("knotenpunkt.outreach.urls")),
    path("t/<slug:tenant>/meetings/", include("knotenpunkt.meetings.urls")),
    path("m/", include("knotenpunkt.meetings.public_urls")),
    path("t/<slug:tenant>/import/", include("knotenpunkt.imports.urls")),
    path("t/<slug:tenant>/offers/api-tokens/", include("knotenpunkt.directory.api.token_urls")),
    path("t/<slug:tenant>/offers/exchange/", include("knotenpunkt.directory.exchange_urls")),
    path("t/<slug:tenant>/offers/editions/", include("knotenpunkt.directory.booklet_urls")),
    path("t/<slug:tenant>/offers/", include("knotenpunkt.directory.urls")),
    # Public: the Familienwegweiser and the HSDS API, no login (see core.tenancy.public_tenant).
    path("g/<slug:guide>/", include("knotenpunkt.directory.public_urls")),
    path("api/hsds/<slug:guide>/", include("knotenpunkt.directory.api.public_urls")),
    path("api/v1/", partner_api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
