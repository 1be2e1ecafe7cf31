"""Calendar arithmetic for the plan's revision cycle."""

import calendar


def years_later(date, years):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def months_earlier(date, months):
    month_index = date.year * 12 + date.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date.replace(year=year, month=month + 1, day=min(date.day, last_day))
