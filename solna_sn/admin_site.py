from django.contrib import admin

from solna_sn import permissions


class SolnaAdminSite(admin.AdminSite):
    """The admin is for the Administratör role, decided by our own permission check rather
    than Django's is_staff flag, so roles stay the single source of truth."""

    site_header = "Socialnämndens planering och uppföljning – administration"
    site_title = "Administration"
    index_title = "Kataloger och användare"
    site_url = "/"

    def has_permission(self, request):
        return permissions.can_administer(request.user)
