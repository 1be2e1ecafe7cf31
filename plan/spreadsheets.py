FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """Text typed by a person, as a spreadsheet cell: one that would start a formula is kept as text."""
    text = "" if text is None else str(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
