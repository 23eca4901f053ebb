"""Notifications in the administration site: what was sent, what failed and why, the group robots.

Deliveries are listed by status and channel with each try inline, so a failed one shows its
reason; "Retry now" gives failed ones a fresh round of tries. A robot's webhook address is shown
shortened and its secret never (the address carries the robot's token); robots are edited on
their organization's robots page. "Send a test message" goes through every channel of a person
(trial.py), the same as `manage.py send_test_notification`, or to the selected robots.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.parsing import mask_phone
from lianxin.notifications.channels import robot_test
from lianxin.notifications.models import Delivery, DeliveryAttempt, GroupRobot, Notification
from lianxin.notifications.robots import webhook_masked
from lianxin.notifications.tasks import delivery_send_task
from lianxin.notifications.trial import Tried, test_message_send


def _report(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, tried: list[Tried]) -> None:
    for line in tried:
        level = messages.SUCCESS if line.ok else messages.ERROR
        modeladmin.message_user(request, f"{line.channel}: {line.answer}", level)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "kind", "event_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["send_test_message"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send a test message to the recipients, on every channel they have"))
    def send_test_message(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        people = {n.recipient_id: n.recipient for n in queryset.select_related("recipient")}
        for person in people.values():
            _report(self, request, test_message_send(user=person))


class DeliveryAttemptInline(admin.TabularInline[DeliveryAttempt, Delivery]):
    model = DeliveryAttempt
    extra = 0
    fields = ("at", "ok", "detail")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False


NUMBER_FIELDS = ("mobile", "mobile_hash")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Failed deliveries: filter by status "failed"; each shows its tries and the last reason."""

    list_display = ["created_at", "channel", "status", "kind", "to", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["notification__recipient__username", "robot__name", "kind", "event_key", "last_error"]
    # A text to a resident without an account shows its number masked ("to"), never in full.
    exclude = list(NUMBER_FIELDS)
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name not in NUMBER_FIELDS] + ["to"]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return super().get_queryset(request).select_related("notification__recipient", "robot")

    @admin.display(description=_("to"))
    def to(self, obj: Delivery) -> str:
        if obj.robot is not None:
            return str(obj.robot)
        if obj.notification is not None:
            return str(obj.notification.recipient)
        return mask_phone(obj.mobile)

    @admin.action(description=_("Retry now (failed or waiting deliveries)"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        retry = list(
            queryset.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.PENDING]).values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=retry).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for delivery_id in retry:
            delivery_send_task.enqueue(delivery_id)
        self.message_user(request, _("%(count)s deliveries queued again.") % {"count": len(retry)})


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin[GroupRobot]):
    """Robots are added and changed by their organization's admins on the robots page (services, audited);
    here they are seen, with the address shortened and the secret never shown, and tried."""

    list_display = ["name", "organization", "platform", "address", "signed", "active"]
    list_filter = ["platform", "active"]
    search_fields = ["name", "organization__name"]
    fields = ("organization", "platform", "name", "address", "signed", "kinds", "active", "created_at")
    readonly_fields = fields
    actions = ["send_test_message"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("webhook address"))
    def address(self, obj: GroupRobot) -> str:
        return webhook_masked(obj.webhook_url)

    @admin.display(description=_("signed"), boolean=True)
    def signed(self, obj: GroupRobot) -> bool:
        return bool(obj.secret)

    @admin.action(description=_("Send a test message to the selected robots"))
    def send_test_message(self, request: HttpRequest, queryset: QuerySet[GroupRobot]) -> None:
        for robot in queryset:
            delivered, answer = robot_test(robot)
            self.message_user(request, f"{robot.name}: {answer}", messages.SUCCESS if delivered else messages.ERROR)
