from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "谈话"

    def ready(self):
        # The foundation records officers without a service this app could call, so a
        # new OrgOfficer reaches TALK-02 through post_save (bulk inserts do not: the demo
        # schedules its own due items).
        from django.db.models.signals import post_save

        from orgs.models import OrgOfficer

        post_save.connect(_officer_saved, sender=OrgOfficer, dispatch_uid="talks.appointment_due")


def _officer_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from django.utils import timezone

    from talks.services import appointment_schedule

    appointment_schedule(officer=instance, today=timezone.localdate())
