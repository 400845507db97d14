"""Template filters of :mod:`compliance.masking`: ``{{ value|masked_id:user }}``
and ``{{ text|masked_text:user }}`` show the value as is to users who may see
identifiers, masked to everyone else."""

from django import template

from compliance.masking import can_see_identifiers, mask_id, mask_text

register = template.Library()


@register.filter
def masked_id(value, user) -> str:
    return value if can_see_identifiers(user) else mask_id(str(value or ""))


@register.filter
def masked_text(value, user) -> str:
    return value if can_see_identifiers(user) else mask_text(str(value or ""))
