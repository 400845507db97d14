from django import forms

from .models import Case


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class CloseCaseForm(forms.Form):
    resolution = forms.ChoiceField(choices=Case.Resolution.choices)
    note = forms.CharField(label="Closing note", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
