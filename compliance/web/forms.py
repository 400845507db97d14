"""Auditor forms."""

from django import forms
from django.http import QueryDict

from compliance.cases.workflow import MAX_NOTE_LENGTH, assignable_users
from compliance.models import Case
from compliance.web.filters import CaseQueueFilter


def note_field(label: str, rows: int = 3) -> forms.CharField:
    """A required note text of at most :data:`MAX_NOTE_LENGTH` characters."""
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=MAX_NOTE_LENGTH)


class EditNoteForm(forms.Form):
    """The text of a note (required, up to 10,000 characters)."""

    body = note_field("Note")


class NoteForm(EditNoteForm):
    """A new note on a case; ``internal`` for the compliance team only."""

    internal = forms.BooleanField(label="Internal (compliance team only)", required=False)


PERSON_RESOLUTION_CHOICES = [(r.value, r.label) for r in Case.PERSON_RESOLUTIONS]


class CloseCaseForm(forms.Form):
    """Closing a case: a resolution a person may choose and a note saying why."""

    resolution = forms.ChoiceField(choices=[("", "— choose a resolution —"), *PERSON_RESOLUTION_CHOICES])
    note = note_field("Closing note")


class BulkChangeForm(forms.Form):
    """A bulk change of the filtered cases: the action, its resolution or
    assignee where it needs one, and one note for every case; the filter,
    the number of cases and the time of the list the manager saw (a list
    that changed since is refused)."""

    action = forms.ChoiceField(choices=[
        ("assign", "Assign to"), ("triage", "Mark triaged"), ("start_review", "Start review"), ("close", "Close"),
        ("reopen", "Reopen"),
    ])
    assignee = forms.ModelChoiceField(queryset=assignable_users(), required=False)
    resolution = forms.ChoiceField(choices=[("", "—"), *PERSON_RESOLUTION_CHOICES], required=False)
    note = note_field("Note for every case", rows=2)
    selection = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    expected = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0,
        error_messages={"required": "the form did not say how many cases you saw; reload the list and try again"})
    # When the list was shown: a case of the selection changed after that
    # (moved by someone else, or newly matching the filter) refuses the change.
    shown_at = forms.DateTimeField(
        widget=forms.HiddenInput,
        error_messages={"required": "the form did not say when you saw the list; reload it and try again"})

    def clean_selection(self) -> str:
        """The case-list filter as a query string; only the queue's filters
        (``page`` dropped): a typo must not widen the change to every case."""
        selection = QueryDict(self.cleaned_data["selection"], mutable=True)
        selection.pop("page", None)
        unknown = sorted(set(selection) - set(CaseQueueFilter.base_filters))
        if unknown:
            raise forms.ValidationError(f"Unknown filter {', '.join(unknown)}: the change was not applied.")
        return selection.urlencode()


class AssignForm(forms.Form):
    """Assigning one case to someone who can work on cases."""

    assignee = forms.ModelChoiceField(queryset=assignable_users(), label="Assign to")


class ReopenCaseForm(forms.Form):
    """Reopening a closed case: a note saying why."""

    note = note_field("Why reopen", rows=2)
