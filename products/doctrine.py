"""The numbers of the portfolio doctrine (see GLOSSARY.md, "People"), in one place: the dashboard's alerts
read them here."""

# An intrapreneur is expected to give at least 60 % of their time to the product.
INTRAPRENEUR_MIN_SHARE = 60
# A startup still followed whose record, phases, events, interviews and decisions have not moved for a year
# may hold stale information.
STALE_DAYS = 365
