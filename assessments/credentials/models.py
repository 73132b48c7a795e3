"""What credentials store: the issuer's key pairs and each certificate's signed credential.

Imported by `assessments.models`, so these are models of the `assessments` app.
"""

from django.db import models
from django.db.models import Q


class IssuerKey(models.Model):
    """An Ed25519 key pair the site signs credentials with. Exactly one is active; rotated-out
    keys are kept (retired) and still published in the DID document, so what they signed still
    verifies. The private key is stored encrypted (`assessments.credentials.keys`)."""

    public_key_multibase = models.CharField(max_length=64, unique=True, editable=False)
    private_key_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_issuer_key")]

    def __str__(self):
        return f"{self.public_key_multibase[:16]}… ({'active' if self.active else 'retired'})"


class IssuedCredential(models.Model):
    """A certificate's Open Badges 3.0 credential, signed once and kept as issued (the exact JSON
    text: the same bytes in the PDF, the download and the ZIP). Its revocation bit is
    (status_list, status_index) in the Bitstring Status List, derived from the certificate."""

    certificate = models.OneToOneField("assessments.Certificate", on_delete=models.CASCADE, related_name="credential")
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    document = models.TextField(editable=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status_list", "status_index"], name="one_credential_per_status_bit")]

    def __str__(self):
        return f"Credential of {self.certificate}"
