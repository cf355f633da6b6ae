from django import template

from translations.lookup import translated as lookup

register = template.Library()


@register.filter
def translated(obj, field):
    """{{ statement|translated:"text" }}: the text in the reader's language, else the original."""
    return lookup(obj, field)
