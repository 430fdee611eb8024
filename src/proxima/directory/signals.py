"""The taxonomy's stamp kept by this process is forgotten when this process changes the
terms, their equivalences, their mappings or the lexicon (services/taxonomy.py): a search
right after sees the change. (Bulk writes send no signal: they forget it themselves.)"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from proxima.directory.models import NeedLexiconEntry, TaxonomyTerm, TermMapping
from proxima.directory.services.taxonomy import forget_taxonomy_stamp

for _model in (TaxonomyTerm, NeedLexiconEntry, TermMapping):
    post_save.connect(forget_taxonomy_stamp, sender=_model, dispatch_uid=f"stamp-save-{_model}")
    post_delete.connect(forget_taxonomy_stamp, sender=_model, dispatch_uid=f"stamp-del-{_model}")
m2m_changed.connect(
    forget_taxonomy_stamp, sender=TaxonomyTerm.equivalent_terms.through, dispatch_uid="stamp-m2m"
)
# Migrations, and a database emptied (`flush`, between tests) change them without a signal.
post_migrate.connect(forget_taxonomy_stamp, dispatch_uid="stamp-migrate")
