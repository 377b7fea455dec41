"""django-q's database broker with its task row written by `core.compiled.insert`.

An action that queues a delivery in its own transaction (notifications.services
`_queue_in_transaction`: an enrolment, a booking) writes this row with the outbox row; through
`OrmQ.objects.create` the ORM built and compiled that INSERT on every action. The row, its
statement and its database are the ORM broker's; everything else (reading, locking and
deleting tasks in the cluster) is django-q's own.
"""

from __future__ import annotations

from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ

from core import compiled


class TaskRow(ORM):
    def enqueue(self, task: str) -> int:
        # As ORM.enqueue: the list key may be unset in a test set-up; the column is not null.
        row = OrmQ(key=self.list_key or Conf.CLUSTER_NAME, payload=task, lock=timezone.now())
        return int(compiled.insert(row, using=Conf.ORM).pk)
