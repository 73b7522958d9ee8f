"""Security headers on static files (WhiteNoise answers them before Django's middleware runs, so they
carried neither the CSP nor X-Content-Type-Options nor Referrer-Policy; security review, issue 12).
Set as WHITENOISE_ADD_HEADERS_FUNCTION."""

# Static files are styles, scripts, fonts and images: nothing in them may load or run anything else,
# and an SVG or HTML file opened directly runs no script (sandbox).
STATIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; sandbox"
)


def add_security_headers(headers, path: str, url: str) -> None:
    headers["Content-Security-Policy"] = STATIC_CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
