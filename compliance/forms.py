"""Auditor forms."""

from django import forms

from .models import Case


class NoteForm(forms.Form):
    """A note on a case (required, up to 10,000 characters); ``internal`` for the compliance team only."""

    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    internal = forms.BooleanField(label="Internal (compliance team only)", required=False)


class CloseCaseForm(forms.Form):
    """Closing a case: a resolution and a note saying why."""

    resolution = forms.ChoiceField(choices=[("", "— choose a resolution —"), *Case.Resolution.choices])
    note = forms.CharField(label="Closing note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class ReopenCaseForm(forms.Form):
    """Reopening a closed case: a note saying why."""

    note = forms.CharField(label="Why reopen", widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)
