"""The header's links: the pages the logged-in user may open, worked out
here once (a template context processor) so that the base template checks
no permission itself; each page's view checks its own again on request."""

from django.urls import reverse

# (URL name, query string, label, the permission the page's view requires; None: any case reader's).
PAGES = (
    ("compliance:case_list", "?assigned=me", "My queue", None),
    ("compliance:rule_catalog", "", "Rules", None),
    ("compliance:pipeline_runs", "", "Pipeline", "compliance.view_pipelinerun"),
    ("compliance:data_quality", "", "Data quality", "compliance.view_quarantinedrow"),
)


def pages(request) -> dict:
    """``nav_pages``: (URL, label) of each page of :data:`PAGES` the user may
    open, and Django admin for staff; empty for an anonymous visitor."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_pages": []}
    links = [(reverse(name) + query, label) for name, query, label, permission in PAGES
             if permission is None or user.has_perm(permission)]
    if user.is_staff:
        links.append((reverse("admin:index"), "Admin"))
    return {"nav_pages": links}
