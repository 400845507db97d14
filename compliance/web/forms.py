"""Auditor forms; a transition's form (the case page's and admin's) and the
bulk form's actions are built from the transitions' one definition
(:mod:`compliance.cases.transitions`)."""

from django import forms
from django.http import QueryDict

from compliance.cases.bulk import BULK_ACTIONS
from compliance.cases.refusals import MAX_NOTE_LENGTH
from compliance.cases.transitions import TRANSITIONS, Transition
from compliance.cases.workflow import assignable_users
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


def transition_form(transition: Transition) -> type[forms.Form]:
    """The form of ``transition``: a resolution a person may choose when it
    takes one, its note (with its label) when it needs one; no field else."""
    fields = {}
    if transition.takes_resolution:
        fields["resolution"] = forms.ChoiceField(choices=[("", "— choose a resolution —"), *PERSON_RESOLUTION_CHOICES])
    if transition.note:
        fields["note"] = note_field(transition.note.label)
    return type(f"{transition.name.title().replace('_', '')}Form", (forms.Form,), {
        **fields, "__doc__": f"What '{transition.label}' needs on one case."})


TRANSITION_FORMS = {name: transition_form(transition) for name, transition in TRANSITIONS.items()}


class BulkChangeForm(forms.Form):
    """A bulk change of the filtered cases: the action, its resolution or
    assignee where it needs one, and one note for every case; the filter,
    the number of cases and the time of the list the manager saw (a list
    that changed since is refused)."""

    action = forms.ChoiceField(choices=list(BULK_ACTIONS.items()))
    assignee = forms.ModelChoiceField(queryset=assignable_users(), required=False)
    resolution = forms.ChoiceField(choices=[("", "—"), *PERSON_RESOLUTION_CHOICES], required=False)
    note = note_field("Note for every case", rows=2)
    # The hidden fields' errors are shown without their names (web.actions.form_errors): each says what it is.
    selection = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=2000,
        error_messages={"max_length": "the list's filter is too long to apply (at most 2000 characters); "
                                      "narrow it with fewer values"})
    expected = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0,
        error_messages={key: "the form did not say how many cases you saw; reload the list and try again"
                        for key in ("required", "invalid", "min_value")})
    # When the list was shown: a case of the selection changed after that
    # (moved by someone else, or newly matching the filter) refuses the change.
    shown_at = forms.DateTimeField(
        widget=forms.HiddenInput,
        error_messages={key: "the form did not say when you saw the list; reload it and try again"
                        for key in ("required", "invalid")})

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
