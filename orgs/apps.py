from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "组织管理"

    def ready(self) -> None:
        # Any saved or deleted member drops the cached counts of large trees
        # (bulk imports and the demo generator call members_changed themselves).
        from django.db.models.signals import post_delete, post_save

        from orgs.models import PartyOrg, UnionOrg
        from people.models import PartyMember, UnionMember

        post_save.connect(_member_written, sender=PartyMember, dispatch_uid="orgs.member_counts_save")
        post_delete.connect(_member_written, sender=PartyMember, dispatch_uid="orgs.member_counts_delete")
        # and any saved or deleted organisation (the cached organisation counts of scopes)
        post_save.connect(_member_written, sender=PartyOrg, dispatch_uid="orgs.org_counts_save")
        post_delete.connect(_member_written, sender=PartyOrg, dispatch_uid="orgs.org_counts_delete")
        # and the union tree's: union members and unions
        post_save.connect(_member_written, sender=UnionMember, dispatch_uid="orgs.union_member_counts_save")
        post_delete.connect(_member_written, sender=UnionMember, dispatch_uid="orgs.union_member_counts_delete")
        post_save.connect(_member_written, sender=UnionOrg, dispatch_uid="orgs.union_counts_save")
        post_delete.connect(_member_written, sender=UnionOrg, dispatch_uid="orgs.union_counts_delete")


def _member_written(**kwargs) -> None:
    from django.db import transaction

    from orgs.selectors import members_changed

    transaction.on_commit(members_changed)
