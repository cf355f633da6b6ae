"""Template helpers of the guidance: figures of the self-assessment results, and the guidance
beside the MEGA sheets and reports (the "What helps" pointers and "Guidance for the gaps")."""
from django import template


register = template.Library()


@register.filter
def figure(value, digits=1):
    """A mean or a standard deviation with `digits` decimals; "–" when there is none (never 0)."""
    if value is None:
        return "–"
    return f"{value:.{int(digits)}f}"
