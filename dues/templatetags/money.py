"""``{{ amount|yuan }}``: money with two decimals and thousands separators (ui.md)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)
