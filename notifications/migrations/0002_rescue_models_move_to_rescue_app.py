"""RescueOffer, SeatHold and Invitation now belong to the rescue app
(docs/decisions/0005-rescue-package.md). Only Django's record of the models moves: the
tables stay as they are and rescue.0001_initial takes them over under the same names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SeatHold"),
                migrations.DeleteModel(name="Invitation"),
                migrations.DeleteModel(name="RescueOffer"),
            ],
            database_operations=[],
        ),
    ]
