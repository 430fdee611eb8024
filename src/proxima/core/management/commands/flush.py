"""`proxima flush`: Django's flush (every table emptied), the audit log included.

The audit table's triggers refuse DELETE and TRUNCATE; emptying the whole database is the
one thing allowed to empty it too, inside `audit_maintenance()` (one transaction, the
triggers back before it commits). Django's test cases call this command between
transactional tests. See docs/privacy.md.
"""

from django.core.management.commands import flush
from django.db import connections

from proxima.core.audit_chain import audit_maintenance


class Command(flush.Command):
    help = flush.Command.help + " The audit log is emptied with the rest."

    def handle(self, **options):
        connection = connections[options["database"]]
        execute_sql_flush = connection.ops.execute_sql_flush

        def flush_with_the_audit_log(sql_list):
            with audit_maintenance(using=connection.alias):
                execute_sql_flush(sql_list)

        connection.ops.execute_sql_flush = flush_with_the_audit_log
        try:
            super().handle(**options)
        finally:
            del connection.ops.execute_sql_flush
