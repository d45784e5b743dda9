from django.db import models


class CalendarDay(models.Model):
    """A day of a year's published holiday schedule entered by an administrator (BASE-02).

    Only for years the chinesecalendar package does not cover. A year counts as
    known once it has at least one entry.
    """

    HOLIDAY = "HOLIDAY"
    WORKDAY = "WORKDAY"
    KINDS = [(HOLIDAY, "法定节假日（放假）"), (WORKDAY, "调休上班日")]

    year = models.PositiveIntegerField("年份", db_index=True)
    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=KINDS)
    name = models.CharField("节日名称", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name}"
