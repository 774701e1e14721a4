"""Accepted statuses of an action's progress, in order, with Italian and English labels."""
from core.bilingual import Text

STATUSES = {
    "non_avviata": Text("Non avviata", "Not started"),
    "avviata": Text("Avviata", "Started"),
    "in_corso": Text("In corso", "In progress"),
    "completata": Text("Completata", "Completed"),
    "sospesa": Text("Sospesa", "Suspended"),
}


def label(status: str, lang: str = "it") -> str:
    """Label of a status in the view's language (the code itself if unknown)."""
    return STATUSES.get(status, Text(status, status)).in_(lang)
