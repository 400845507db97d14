"""Auditor forms."""

from django import forms

from .models import Case


class NoteForm(forms.Form):
    """A note on a case (required, up to 10,000 characters)."""

    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class CloseCaseForm(forms.Form):
    """Closing a case: a resolution and a note saying why."""

    resolution = forms.ChoiceField(choices=[("", "— choose a resolution —"), *Case.Resolution.choices])
    note = forms.CharField(label="Closing note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
