"""Auditor forms."""

from django import forms
from django.contrib.auth import get_user_model

from .models import Case


class EditNoteForm(forms.Form):
    """The text of a note (required, up to 10,000 characters)."""

    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class NoteForm(EditNoteForm):
    """A new note on a case; ``internal`` for the compliance team only."""

    internal = forms.BooleanField(label="Internal (compliance team only)", required=False)


class CloseCaseForm(forms.Form):
    """Closing a case: a resolution and a note saying why."""

    resolution = forms.ChoiceField(choices=[("", "— choose a resolution —"), *Case.Resolution.choices])
    note = forms.CharField(label="Closing note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class BulkChangeForm(forms.Form):
    """A bulk change of the filtered cases: the action, its resolution or
    assignee where it needs one, and one note for every case."""

    action = forms.ChoiceField(choices=[
        ("assign", "Assign to"), ("triage", "Mark triaged"), ("start_review", "Start review"), ("close", "Close"),
        ("reopen", "Reopen"),
    ])
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True), required=False)
    resolution = forms.ChoiceField(choices=[("", "—"), *Case.Resolution.choices], required=False)
    note = forms.CharField(label="Note for every case", widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)


class ReopenCaseForm(forms.Form):
    """Reopening a closed case: a note saying why."""

    note = forms.CharField(label="Why reopen", widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)
