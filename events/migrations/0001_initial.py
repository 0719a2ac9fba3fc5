"""The event models move here from the matching app, every row where it was.

The tables keep their names (each model sets db_table), so the database is not touched: the
models are created in this app's state only, and `matching.0003` removes them from the matching
app's state. Content types (and with them permissions and admin log entries) are relabelled so
that nothing granted on the old models is lost.
"""

import django.core.validators
import django.db.models.deletion
import common.timezones
from django.conf import settings
from django.db import migrations, models


MODELS = (
    "event",
    "eventsession",
    "timeslot",
    "participant",
    "attendee",
    "wish",
    "exclusion",
    "meeting",
    "schedulerun",
)


def _relabel(apps, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue  # created already (by a run of post_migrate); leave both alone
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_forwards(apps, schema_editor) -> None:
    _relabel(apps, source="matching", target="events")


def content_types_backwards(apps, schema_editor) -> None:
    _relabel(apps, source="events", target="matching")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('directory', '0008_actor_status_name_index'),
        # The tables were created there.
        ('matching', '0002_events'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('slug', models.SlugField(max_length=80, unique=True)),
                        ('description', models.TextField(blank=True, max_length=5000)),
                        ('place', models.CharField(blank=True, help_text='Venue and city; leave empty for an online event.', max_length=200)),
                        ('online', models.BooleanField(default=False)),
                        ('timezone', models.CharField(default='Asia/Seoul', help_text='Session times are in this time zone.', max_length=64, validators=[common.timezones.validate_timezone])),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField()),
                        ('meeting_minutes', models.PositiveSmallIntegerField(default=25, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(240)])),
                        ('break_minutes', models.PositiveSmallIntegerField(default=5, help_text='Between two meetings.', validators=[django.core.validators.MaxValueValidator(120)])),
                        ('tables', models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)])),
                        ('max_meetings', models.PositiveSmallIntegerField(default=8, help_text='The most meetings one participant can have.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)])),
                        ('registration_open', models.BooleanField(default=False)),
                        ('published_at', models.DateTimeField(blank=True, help_text='When the schedule was published to participants.', null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('organisers', models.ManyToManyField(blank=True, related_name='organised_events', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'matching_event',
                        'ordering': ['-starts_on', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='EventSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('date', models.DateField()),
                        ('start', models.TimeField()),
                        ('end', models.TimeField()),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='events.event')),
                    ],
                    options={
                        'db_table': 'matching_eventsession',
                        'ordering': ['date', 'start'],
                    },
                ),
                migrations.CreateModel(
                    name='Participant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'waiting for the organisers'), ('accepted', 'accepted'), ('declined', 'declined')], default='pending', max_length=10)),
                        ('note', models.TextField(blank=True, help_text='Seen by the organisers only.', max_length=2000)),
                        ('decision_message', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('absent_from', models.ManyToManyField(blank=True, help_text='Sessions it will miss.', related_name='absentees', to='events.eventsession')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='directory.actor')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='events.event')),
                        ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'matching_participant',
                        'ordering': ['actor__name'],
                    },
                ),
                migrations.CreateModel(
                    name='Exclusion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(blank=True, max_length=300)),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exclusions', to='events.event')),
                        ('eu', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.participant')),
                        ('kr', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.participant')),
                    ],
                    options={
                        'db_table': 'matching_exclusion',
                    },
                ),
                migrations.CreateModel(
                    name='Attendee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('first_name', models.CharField(max_length=100)),
                        ('last_name', models.CharField(max_length=100)),
                        ('job_title', models.CharField(blank=True, max_length=150)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('phone', models.CharField(blank=True, max_length=40)),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendees', to='events.participant')),
                    ],
                    options={
                        'db_table': 'matching_attendee',
                        'ordering': ['last_name', 'first_name'],
                    },
                ),
                migrations.CreateModel(
                    name='ScheduleRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('meetings', models.PositiveIntegerField()),
                        ('fixed', models.PositiveIntegerField()),
                        ('value', models.FloatField()),
                        ('bound', models.FloatField()),
                        ('seconds', models.FloatField()),
                        ('optimal', models.BooleanField(default=False)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='schedule_runs', to='events.event')),
                    ],
                    options={
                        'db_table': 'matching_schedulerun',
                        'ordering': ['-created_at'],
                        'get_latest_by': 'created_at',
                    },
                ),
                migrations.CreateModel(
                    name='TimeSlot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField()),
                        ('ends_at', models.DateTimeField()),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='events.event')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='events.eventsession')),
                    ],
                    options={
                        'db_table': 'matching_timeslot',
                        'ordering': ['starts_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('table', models.PositiveSmallIntegerField()),
                        ('fixed', models.BooleanField(default=False, help_text='Placed by an organiser: kept when the schedule is regenerated.')),
                        ('score', models.FloatField(default=0.0, help_text="The pair's ranking score.")),
                        ('reason', models.TextField(blank=True, help_text='Why the two were matched.')),
                        ('held', models.BooleanField(blank=True, null=True)),
                        ('follow_up', models.CharField(blank=True, choices=[('none', 'none'), ('talks', 'further talks'), ('visit', 'visit'), ('mou', 'MoU or agreement'), ('project', 'joint project')], max_length=10)),
                        ('outcome_note', models.TextField(blank=True, max_length=2000)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='events.event')),
                        ('eu', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='eu_meetings', to='events.participant')),
                        ('kr', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kr_meetings', to='events.participant')),
                        ('slot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='events.timeslot')),
                    ],
                    options={
                        'db_table': 'matching_meeting',
                        'ordering': ['slot__starts_at', 'table'],
                    },
                ),
                migrations.CreateModel(
                    name='Wish',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.CharField(choices=[('must', 'must meet'), ('like', 'would like to meet'), ('not', 'not interested')], max_length=4)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wishes', to='events.participant')),
                        ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wished_by', to='events.participant')),
                    ],
                    options={
                        'db_table': 'matching_wish',
                    },
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='event_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('tables__gte', 1)), name='event_has_tables'),
                ),
                migrations.AddConstraint(
                    model_name='eventsession',
                    constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='session_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='participant',
                    constraint=models.UniqueConstraint(fields=('event', 'actor'), name='participant_once_per_event'),
                ),
                migrations.AddConstraint(
                    model_name='exclusion',
                    constraint=models.UniqueConstraint(fields=('eu', 'kr'), name='exclusion_once_per_pair'),
                ),
                migrations.AddConstraint(
                    model_name='timeslot',
                    constraint=models.UniqueConstraint(fields=('event', 'starts_at'), name='slot_once_per_start'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('slot', 'table'), name='meeting_one_per_table'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('slot', 'eu'), name='meeting_eu_once_per_slot'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('slot', 'kr'), name='meeting_kr_once_per_slot'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('eu', 'kr'), name='meeting_pair_once'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.CheckConstraint(condition=models.Q(('table__gte', 1)), name='meeting_table_positive'),
                ),
                migrations.AddConstraint(
                    model_name='wish',
                    constraint=models.UniqueConstraint(fields=('participant', 'target'), name='wish_once_per_pair'),
                ),
                migrations.AddConstraint(
                    model_name='wish',
                    constraint=models.CheckConstraint(condition=models.Q(('participant', models.F('target')), _negated=True), name='wish_not_self'),
                ),
            ],
            database_operations=[
                migrations.RunPython(content_types_forwards, content_types_backwards),
            ],
        ),
    ]
