"""Territory report (a zone, a comune or the CM) as a PDF or a print view, from the profile page's figures."""
