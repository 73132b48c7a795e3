"""Certificates: `services` (issue on course completion, render once, revoke, reissue), `pdf`
(the only WeasyPrint import: render_certificate_pdf) and `views` (download, manage, verify)."""
