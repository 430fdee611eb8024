"""Casework: cases, their workers, next actions, progress notes and addenda, coaching
requests. Triggers refuse any UPDATE of a signed note and of an addendum, whoever runs
it (raw SQL included): see docs/casework.md.

On SQLite, a later migration that alters one of these two tables rebuilds it and drops
its trigger: such a migration must install it again (tests/casework/test_locking.py
notices).
"""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


POSTGRESQL_GUARD = [
    """
    CREATE OR REPLACE FUNCTION proxima_casework_locked() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'signed notes and addenda are never changed: ' || TG_OP || ' refused',
            HINT = 'Write an addendum. See docs/casework.md.';
    END;
    $$
    """,
    """
    CREATE TRIGGER signed_note_locked BEFORE UPDATE ON casework_progressnote
    FOR EACH ROW WHEN (OLD.signed_at IS NOT NULL)
    EXECUTE FUNCTION proxima_casework_locked()
    """,
    """
    CREATE TRIGGER addendum_locked BEFORE UPDATE ON casework_noteaddendum
    FOR EACH ROW EXECUTE FUNCTION proxima_casework_locked()
    """,
]
POSTGRESQL_UNGUARD = [
    "DROP TRIGGER IF EXISTS addendum_locked ON casework_noteaddendum",
    "DROP TRIGGER IF EXISTS signed_note_locked ON casework_progressnote",
    "DROP FUNCTION IF EXISTS proxima_casework_locked()",
]
SQLITE_GUARD = [
    "CREATE TRIGGER signed_note_locked BEFORE UPDATE ON casework_progressnote "
    "WHEN OLD.signed_at IS NOT NULL BEGIN "
    "SELECT RAISE(ABORT, 'signed notes and addenda are never changed: UPDATE refused'); END",
    "CREATE TRIGGER addendum_locked BEFORE UPDATE ON casework_noteaddendum BEGIN "
    "SELECT RAISE(ABORT, 'signed notes and addenda are never changed: UPDATE refused'); END",
]
SQLITE_UNGUARD = [
    "DROP TRIGGER IF EXISTS addendum_locked",
    "DROP TRIGGER IF EXISTS signed_note_locked",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_GUARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_GUARD)


def remove_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_UNGUARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UNGUARD)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0010_remove_user_team'),
        ('intake', '0009_contact_barriers_and_time_indexes'),
        ('people', '0004_consent_team_as_model'),
        ('teams', '0002_standard_teams_and_members'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('status', models.CharField(choices=[('open', 'open'), ('closed', 'closed')], db_index=True, default='open', max_length=16, verbose_name='status')),
                ('plan', models.TextField(blank=True, max_length=10000, verbose_name='intervention plan')),
                ('opened_at', models.DateTimeField(verbose_name='opened')),
                ('closing_reason', models.CharField(blank=True, choices=[('goals_met', 'goals met'), ('person_ended', 'the person ended the follow-up'), ('no_contact', 'no contact with the person'), ('transferred', 'transferred to another service'), ('moved', 'the person moved away'), ('deceased', 'the person died'), ('other', 'other')], max_length=32, verbose_name='closing reason')),
                ('orientation', models.CharField(blank=True, choices=[('none', 'no further service needed'), ('community', 'a community organization'), ('clsc_service', 'another CLSC service'), ('mental_health', 'mental health services'), ('family_doctor', 'family doctor or medical clinic'), ('social_prescribing', 'social prescribing'), ('other', 'other')], max_length=32, verbose_name='orientation')),
                ('closing_note', models.TextField(blank=True, max_length=10000, verbose_name='closing summary')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('episode', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intake.contactepisode', verbose_name='contact')),
                ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='people.person', verbose_name='person')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='region')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'case',
                'verbose_name_plural': 'cases',
                'ordering': ['-opened_at'],
            },
        ),
        migrations.CreateModel(
            name='CaseWorker',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', 'lead worker'), ('co_intervener', 'co-intervener')], max_length=16, verbose_name='role on the case')),
                ('since', models.DateTimeField(verbose_name='since')),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='case_workers', to='casework.case')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_roles', to=settings.AUTH_USER_MODEL, verbose_name='worker')),
            ],
            options={
                'verbose_name': 'worker on a case',
                'verbose_name_plural': 'workers on cases',
                'ordering': ['since', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='case',
            name='workers',
            field=models.ManyToManyField(related_name='cases', through='casework.CaseWorker', through_fields=('case', 'user'), to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='CoachingRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question', models.TextField(max_length=10000, verbose_name='question')),
                ('asked_at', models.DateTimeField(verbose_name='asked')),
                ('status', models.CharField(choices=[('asked', 'waiting for an answer'), ('answered', 'answered')], db_index=True, default='asked', max_length=16, verbose_name='status')),
                ('answer', models.TextField(blank=True, max_length=10000, verbose_name='answer')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('asked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='coaching_requests', to='casework.case')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.team', verbose_name='asked of')),
            ],
            options={
                'verbose_name': 'coaching request',
                'verbose_name_plural': 'coaching requests',
                'ordering': ['-asked_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='NextAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=500, verbose_name='what to do')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='next_actions', to='casework.case')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'next action',
                'verbose_name_plural': 'next actions',
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProgressNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('intervention_type', models.CharField(choices=[('assessment', 'assessment'), ('support', 'psychosocial support'), ('psychoeducation', 'psychoeducation'), ('crisis', 'crisis intervention'), ('accompaniment', 'accompaniment'), ('coordination', 'coordination with partners'), ('family', 'intervention with the family or close ones'), ('coaching_received', 'coaching received')], max_length=32, verbose_name='intervention type')),
                ('duration_minutes', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(720)], verbose_name='duration (minutes)')),
                ('place', models.CharField(choices=[('clsc', 'at the CLSC'), ('home', 'at home'), ('community', 'in the community'), ('phone', 'by phone'), ('online', 'online')], max_length=16, verbose_name='place')),
                ('text', models.TextField(max_length=10000, verbose_name='note')),
                ('happened_on', models.DateField(verbose_name='date of the intervention')),
                ('written_at', models.DateTimeField(verbose_name='written')),
                ('updated_at', models.DateTimeField(verbose_name='last changed')),
                ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='signed')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='casework.case')),
                ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('written_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'progress note',
                'verbose_name_plural': 'progress notes',
                'ordering': ['-happened_on', '-written_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='NoteAddendum',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=10000, verbose_name='addendum')),
                ('written_at', models.DateTimeField(verbose_name='written')),
                ('written_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('note', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addenda', to='casework.progressnote')),
            ],
            options={
                'verbose_name': 'addendum',
                'verbose_name_plural': 'addenda',
                'ordering': ['written_at', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='caseworker',
            constraint=models.UniqueConstraint(fields=('case', 'user'), name='case_worker_once'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['region', 'status'], name='case_region_status'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status', 'open')), models.Q(('closed_at__isnull', False), ('status', 'closed'), models.Q(('closing_reason', ''), _negated=True)), _connector='OR'), name='case_closed_with_reason'),
        ),
        migrations.AddConstraint(
            model_name='coachingrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('answered_at__isnull', True), ('status', 'asked')), models.Q(('answered_at__isnull', False), ('status', 'answered'), models.Q(('answer', ''), _negated=True)), _connector='OR'), name='coaching_answered_with_text'),
        ),
        migrations.AddIndex(
            model_name='nextaction',
            index=models.Index(fields=['case', 'due_on'], name='next_action_case_due'),
        ),
        migrations.AddConstraint(
            model_name='progressnote',
            constraint=models.CheckConstraint(condition=models.Q(('duration_minutes__gte', 1), ('duration_minutes__lte', 720)), name='progress_note_duration_bounded'),
        ),
        migrations.AddConstraint(
            model_name='progressnote',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('signed_at__isnull', True), ('signed_by__isnull', True)), models.Q(('signed_at__isnull', False), ('signed_by__isnull', False)), _connector='OR'), name='progress_note_signed_by_someone'),
        ),
        migrations.RunPython(install_guard, remove_guard),
    ]
