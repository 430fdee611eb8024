"""FHIR R4 interchange following the HL7 SDOH Clinical Care IG (referral management).

Export (fhir_export.py): a referral as a Bundle of Patient, ServiceRequest, Task, Consent
and Organization, sharing about the person only what they consented to share with the
receiver. Import (fhir_import.py): a Bundle (or a list of resources) from a clinical
system, each referral Task with its ServiceRequest, Patient, Consent and Organizations,
into the receiving organization's inbox; the resources are kept as received, so that
exporting the referral gives them back unchanged except its current status. Every
resource is checked with the `fhir.resources` R4B models; a bad bundle changes nothing.
"""

from proxima.referrals.services.fhir_common import FhirError, validate_resource
from proxima.referrals.services.fhir_export import export_referral
from proxima.referrals.services.fhir_import import import_bundle, imported_patient

__all__ = ["FhirError", "export_referral", "import_bundle", "imported_patient", "validate_resource"]
