"""Pages of residents' own accounts: register, log in with a one-time code, "me", the privacy notice.

The mobile number typed in the first step is kept in the session (never in the page), so the
second step asks only for the code.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.clients import client_address
from lianxin.core.forms import form_submit
from lianxin.core.parsing import mask_phone
from lianxin.residents.forms import CodeForm, MobileForm, RegisterForm
from lianxin.residents.models import PRIVACY_VERSION, MobileCode
from lianxin.residents.selectors import resident_of
from lianxin.residents.services import (
    mobile_code_send,
    mobile_of,
    resident_login_with_code,
    resident_register,
)

REGISTER_KEY = "residents_register_mobile"
LOGIN_KEY = "residents_login_mobile"
BACKEND = "lianxin.accounts.backends.UsernameOrMobileBackend"


def _send_step(request: HttpRequest, purpose: str, key: str) -> tuple[MobileForm, bool]:
    """Step one: a valid number gets a code and is remembered for step two."""
    form = MobileForm(request.POST or None)

    def send(data: dict[str, Any]) -> MobileCode:
        return mobile_code_send(mobile=data["mobile"], purpose=purpose, ip_address=client_address(request))

    if form_submit(form, send):
        number = mobile_of(form.cleaned_data["mobile"])
        request.session[key] = number
        messages.success(request, _("A code is on its way to %(mobile)s.") % {"mobile": mask_phone(number)})
        return form, True
    return form, False


def register(request: HttpRequest) -> HttpResponse:
    """Step one: the mobile number the code is sent to."""
    if request.user.is_authenticated:
        return redirect("residents:me")
    form, sent = _send_step(request, MobileCode.Purpose.REGISTER, REGISTER_KEY)
    if sent:
        return redirect("residents:register_finish")
    return render(request, "residents/register.html", {"form": form})


def register_finish(request: HttpRequest) -> HttpResponse:
    """Step two: the code, who the resident is, a password and their consent."""
    number = request.session.get(REGISTER_KEY)
    if not number or request.user.is_authenticated:
        return redirect("residents:register")
    form = RegisterForm(request.POST or None)

    def create(data: dict[str, Any]) -> User:
        return resident_register(
            mobile=number,
            code=data["code"],
            name=data["name"],
            community=data["community"],
            password=data["password"],
            consent=data["consent"],
            ip_address=client_address(request),
        )

    if user := form_submit(form, create):
        request.session.pop(REGISTER_KEY, None)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.display_name})
        return redirect("residents:me")
    return render(request, "residents/register_finish.html", {"form": form, "mobile_masked": mask_phone(number)})


def login_code(request: HttpRequest) -> HttpResponse:
    """Log in with a code sent to the mobile number (短信验证码登录), step one."""
    if request.user.is_authenticated:
        return redirect("residents:me")
    form, sent = _send_step(request, MobileCode.Purpose.LOGIN, LOGIN_KEY)
    if sent:
        return redirect("residents:login_code_finish")
    return render(request, "residents/login_code.html", {"form": form})


def login_code_finish(request: HttpRequest) -> HttpResponse:
    number = request.session.get(LOGIN_KEY)
    if not number or request.user.is_authenticated:
        return redirect("residents:login_code")
    form = CodeForm(request.POST or None)

    def check(data: dict[str, Any]) -> User:
        return resident_login_with_code(mobile=number, code=data["code"], ip_address=client_address(request))

    if user := form_submit(form, check):
        request.session.pop(LOGIN_KEY, None)
        login(request, user, backend=BACKEND)
        return redirect("residents:me")
    return render(request, "residents/login_code_finish.html", {"form": form, "mobile_masked": mask_phone(number)})


@login_required
def me(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The resident's own page: who they are, and their demands, wishes, orders and bookings."""
    return render(request, "residents/me.html", {"resident": resident_of(request.user)})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "residents/privacy.html", {"version": PRIVACY_VERSION})
