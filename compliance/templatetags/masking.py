"""Template filter of :mod:`compliance.web.masking`: ``{{ value|masked_id:user }}``
shows an identifier as is to users who may see identifiers, masked to
everyone else (texts about a case are masked in the view:
:func:`compliance.web.masking.evidence_masker`)."""

from django import template

from compliance.web.masking import can_see_identifiers, mask_id

register = template.Library()


@register.filter
def masked_id(value, user) -> str:
    return value if can_see_identifiers(user) else mask_id(str(value or ""))

