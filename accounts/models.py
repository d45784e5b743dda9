from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A person who signs in. ``person`` links the account to a member record (我的信息)."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    person = models.OneToOneField(
        "people.Person", verbose_name="对应人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def get_full_name(self) -> str:
        return self.display_name or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class Grant(models.Model):
    """A user acts for an organisation in a role; the grant covers the org's subtree."""

    DISTRICT_ADMIN = "DISTRICT_ADMIN"
    PARTY_ADMIN = "PARTY_ADMIN"
    UNION_ADMIN = "UNION_ADMIN"
    CORRESPONDENT = "CORRESPONDENT"
    DISCIPLINE = "DISCIPLINE"
    MEMBER = "MEMBER"
    ROLES = [
        (DISTRICT_ADMIN, "工委管理员"),
        (PARTY_ADMIN, "党组织管理员"),
        (UNION_ADMIN, "工会管理员"),
        (CORRESPONDENT, "信息员"),
        (DISCIPLINE, "纪检委员"),
        (MEMBER, "党员/会员"),
    ]
    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=20, choices=ROLES)
    party_org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    union_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="工会组织", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "授权"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="MEMBER") | Q(party_org__isnull=False) | Q(union_org__isnull=False),
                name="grant_has_org_unless_member",
            )
        ]

    def __str__(self) -> str:
        org = self.party_org or self.union_org
        return f"{self.get_role_display()}·{org}" if org else self.get_role_display()

    @property
    def org(self):
        return self.party_org or self.union_org
