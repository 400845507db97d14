"""What the action views share: POST only, by a logged-in user holding a
permission; a refused form's errors as one message."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.views.decorators.http import require_POST


def post_action(permission: str = "compliance.view_case"):
    """Decorator of the action views: POST only, a logged-in user (else the
    login page), holding ``permission`` (else 403)."""
    def decorate(view):
        return require_POST(login_required(permission_required(permission, raise_exception=True)(view)))
    return decorate


def form_errors(form: forms.BaseForm) -> str:
    """The errors of ``form`` as one sentence: a visible field's prefixed with
    its name ("resolution: This field is required."), a hidden field's and
    the form's own as they are (a hidden field's name means nothing to the
    person who sent it; its messages say what it is)."""
    def named(name: str) -> bool:
        return name != "__all__" and name in form.fields and not form.fields[name].widget.is_hidden

    return "; ".join(f"{name}: {' '.join(problems)}" if named(name) else " ".join(problems)
                     for name, problems in form.errors.items())
