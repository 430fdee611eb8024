"""The privacy officer's work: the audit log of the region, a person's access report,
the export of everything held on a person, and the retention rules."""
