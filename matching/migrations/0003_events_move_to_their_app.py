"""The event models leave the matching app's state; their tables stay (see events.0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0002_events'),
        ('events', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='event',
                    name='organisers',
                ),
                migrations.RemoveField(
                    model_name='exclusion',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='eventsession',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='schedulerun',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='timeslot',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='participant',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='participant',
                    name='absent_from',
                ),
                migrations.RemoveField(
                    model_name='timeslot',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='exclusion',
                    name='eu',
                ),
                migrations.RemoveField(
                    model_name='exclusion',
                    name='kr',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='eu',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='kr',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='slot',
                ),
                migrations.RemoveField(
                    model_name='participant',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='participant',
                    name='registered_by',
                ),
                migrations.RemoveField(
                    model_name='wish',
                    name='participant',
                ),
                migrations.RemoveField(
                    model_name='wish',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='schedulerun',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='Attendee',
                ),
                migrations.DeleteModel(
                    name='Event',
                ),
                migrations.DeleteModel(
                    name='EventSession',
                ),
                migrations.DeleteModel(
                    name='Exclusion',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='TimeSlot',
                ),
                migrations.DeleteModel(
                    name='Participant',
                ),
                migrations.DeleteModel(
                    name='Wish',
                ),
                migrations.DeleteModel(
                    name='ScheduleRun',
                ),
            ],
            database_operations=[],
        ),
    ]
