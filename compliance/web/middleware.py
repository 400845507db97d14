"""Request checks that apply to every page.

:class:`RejectNulBytes`: PostgreSQL text cannot hold a NUL character, so a
query parameter or form field carrying one (``?status=%00``) would reach a
filter or a form and fail deep inside the database driver (a 500, in admin
list filters for instance). Such a request is refused up front with a 400
that says why; nothing is read or written.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

NUL = "\x00"


def carries_nul(request: HttpRequest) -> bool:
    """Whether any query parameter or urlencoded/multipart form field (name
    or value) of ``request`` contains a NUL character."""
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                return True
    return NUL in request.path


class RejectNulBytes:
    """Answer 400 to a request whose path, query parameters or form fields
    contain a NUL character (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return HttpResponseBadRequest(
                "The request contains a NUL character (%00), which no field accepts: nothing was read or saved.",
                content_type="text/plain; charset=utf-8")
        return self.get_response(request)
