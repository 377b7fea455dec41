"""Take over the tables notifications created for RescueOffer, SeatHold and Invitation
(docs/decisions/0005-rescue-package.md). State only: the models keep their tables
(`db_table`), so no row is copied and nothing is locked on deploy. Runs after
notifications.0002, which dropped the models from the notifications app's state."""

import django.db.models.deletion
import django.utils.timezone
import rescue.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('notifications', '0002_rescue_models_move_to_rescue_app'),
        ('programmes', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RescueOffer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=rescue.models.new_token, editable=False, max_length=64, unique=True)),
                        ('reason', models.CharField(choices=[('cancelled', '회차 취소'), ('moved', '회차 변경')], max_length=10, verbose_name='사유')),
                        ('alternatives', models.JSONField(default=list, verbose_name='추천 회차 (순서대로)')),
                        ('status', models.CharField(choices=[('open', '선택 대기'), ('accepted', '다른 회차로 옮김'), ('declined', '제안 사용 안 함'), ('expired', '기간 만료')], default='open', editable=False, max_length=10, verbose_name='상태')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expires_at', models.DateTimeField(verbose_name='선택 기한')),
                        ('closed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('accepted_enrolment', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.enrolment')),
                        ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rescue_offers', to='programmes.enrolment', verbose_name='원래 신청')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rescue_offers', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '대체 회차 제안',
                        'verbose_name_plural': '대체 회차 제안',
                        'db_table': 'notifications_rescueoffer',
                    },
                ),
                migrations.CreateModel(
                    name='SeatHold',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('held', '보류 중'), ('taken', '사용'), ('released', '해제'), ('expired', '만료')], default='held', editable=False, max_length=10, verbose_name='상태')),
                        ('expires_at', models.DateTimeField(db_index=True, verbose_name='보류 기한')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('closed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('offer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='holds', to='rescue.rescueoffer')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seat_holds', to='programmes.session')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seat_holds', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '자리 보류',
                        'verbose_name_plural': '자리 보류',
                        'db_table': 'notifications_seathold',
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=rescue.models.new_token, editable=False, max_length=64, unique=True)),
                        ('priority_until', models.DateTimeField(verbose_name='우선 신청 기한')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('accepted_enrolment', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.enrolment')),
                        ('interest', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitations', to='programmes.interest')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='programmes.session')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='programme_invitations', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '우선 신청 초대',
                        'verbose_name_plural': '우선 신청 초대',
                        'db_table': 'notifications_invitation',
                        'constraints': [models.UniqueConstraint(fields=('session', 'user'), name='one_invitation_per_person_per_session')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='rescueoffer',
                    constraint=models.UniqueConstraint(fields=('enrolment', 'reason'), name='one_offer_per_enrolment_and_reason'),
                ),
                migrations.AddIndex(
                    model_name='seathold',
                    index=models.Index(fields=['session', 'status'], name='seat_hold_session_status'),
                ),
                migrations.AddConstraint(
                    model_name='seathold',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'held')), fields=('session', 'user'), name='one_live_hold_per_person_per_session'),
                ),
                migrations.AddConstraint(
                    model_name='seathold',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['held', 'taken', 'released', 'expired'])), name='seat_hold_status_valid'),
                ),
            ],
            database_operations=[],
        ),
    ]
