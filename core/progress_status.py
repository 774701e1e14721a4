"""Accepted statuses of an action's progress, in order, with Italian and English labels."""

STATUSES = {
    "non_avviata": ("Non avviata", "Not started"),
    "avviata": ("Avviata", "Started"),
    "in_corso": ("In corso", "In progress"),
    "completata": ("Completata", "Completed"),
    "sospesa": ("Sospesa", "Suspended"),
}


def label(status: str, lang: str = "it") -> str:
    """Label of a status in the view's language (the code itself if unknown)."""
    italian, english = STATUSES.get(status, (status, status))
    return english if lang == "en" else italian
