"""Swedish number formats in templates: {% load sv %} {{ amount|sv_number }} → "1 023",
{{ share|sv_number:1 }} → "138,2", {{ pct|sv_percent }} → "7,1 %", and a count with its noun:
{{ pages|sv_count:"sida,sidor" }} → "1 sida", "2 sidor"."""

from django import template

from solna_sn.lib.numbers import format_count, format_number, format_percent

register = template.Library()


@register.filter
def sv_number(value, decimals=0):
    if value is None or value == "":
        return ""
    return format_number(value, int(decimals))


@register.filter
def sv_percent(value, decimals=1):
    if value is None or value == "":
        return ""
    return format_percent(value, int(decimals))


@register.filter
def sv_count(value, forms):
    """`forms` is "singular,plural"."""
    if value is None or value == "":
        return ""
    singular, _, plural_form = forms.partition(",")
    return format_count(value, singular, plural_form or singular)
