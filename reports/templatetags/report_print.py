"""Template helpers of the printed reports."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value):
    """`value` as a quoted CSS string for a stylesheet's `content`: every character but letters,
    digits and spaces escaped (six hex digits and the space that ends an escape), so no text can end
    the string or the style sheet."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in str(value))
    return mark_safe(f'"{escaped}"')
