"""PDF rendering shared by the reports: HTML + CSS Paged Media through WeasyPrint, tagged PDF/UA."""

from django.conf import settings


def render_pdf(html):
    """The PDF of an HTML document (its <html lang> and <title> become the PDF's language and title). Render
    the HTML within plan.language.plan_language(): a report is written in the plan's language."""
    from weasyprint import HTML  # imported here: loading Pango costs a quarter of a second

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
