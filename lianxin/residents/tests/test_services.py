"""A resident registers with a mobile number and the code texted to it, and may log in with a code."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.core import sms
from lianxin.core.models import AuditEntry, Event
from lianxin.organizations.models import Area
from lianxin.residents.models import PRIVACY_VERSION, MobileCode, Resident
from lianxin.residents.services import (
    CODE_TRIES,
    mobile_code_send,
    resident_login_with_code,
    resident_register,
)
from lianxin.residents.tests.factories import PASSWORD, code_sent_to, make_community, make_resident, user_by_mobile

MOBILE = "13912345678"
Purpose = MobileCode.Purpose


@pytest.fixture
def community(city: City) -> Area:
    return make_community(city.city_area)


def _register(community: Area | None, **overrides: object) -> User:
    values: dict[str, object] = {
        "mobile": MOBILE,
        "code": code_sent_to(MOBILE),
        "name": "张桂兰",
        "community": community,
        "password": PASSWORD,
        "consent": True,
        "ip_address": "203.0.113.7",
    }
    values.update(overrides)
    return resident_register(**values)  # type: ignore[arg-type]


def _code(mobile: str = MOBILE, purpose: str = Purpose.REGISTER) -> MobileCode:
    return mobile_code_send(mobile=mobile, purpose=purpose, ip_address="203.0.113.7")


def _nothing_registered() -> None:
    assert not User.objects.exists() or user_by_mobile(MOBILE) is None
    assert not Resident.objects.exists()


# ---------------------------------------------------------------- the code


def test_the_code_is_texted_and_only_its_hash_is_kept(community: Area) -> None:
    row = _code()
    code = code_sent_to(MOBILE)
    assert len(code) == 6 and code not in row.code_hash
    assert sms.outbox[-1].text.count(code) == 1 and "张" not in sms.outbox[-1].text
    assert row.expires_at - row.created_at == timedelta(minutes=10)
    assert AuditEntry.objects.filter(action="mobile_code_sent", detail__delivered=True).count() == 1


def test_a_number_that_is_no_mobile_is_refused_and_nothing_is_sent(community: Area) -> None:
    with pytest.raises(ValidationError) as refused:
        _code(mobile="12345")
    assert refused.value.code == "bad_mobile"
    assert "11 digits" in refused.value.messages[0]
    assert not MobileCode.objects.exists() and not sms.outbox


def test_a_second_code_within_a_minute_is_refused(community: Area) -> None:
    _code()
    with pytest.raises(ValidationError) as refused:
        _code()
    assert refused.value.code == "cooldown"
    assert MobileCode.objects.count() == 1 and len(sms.outbox) == 1


@override_settings(RESIDENT_CODES_PER_MOBILE=2)
def test_a_number_gets_only_so_many_codes_an_hour(community: Area) -> None:
    for _n in range(2):
        _code()
        MobileCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with pytest.raises(ValidationError) as refused:
        _code()
    assert refused.value.code == "too_many_codes"
    assert MobileCode.objects.count() == 2


def test_one_address_only_meets_a_ceiling_far_above_one_hall_of_residents(community: Area) -> None:
    # Residents registering over one shared Wi-Fi: the default ceiling lets hundreds through
    for n in range(20):
        _code(mobile=f"139000000{n:02d}")
    assert MobileCode.objects.count() == 20
    # and a lower ceiling, once reached, refuses the next number with nothing written or sent
    with override_settings(RESIDENT_CODES_PER_ADDRESS=20), pytest.raises(ValidationError) as refused:
        _code(mobile="13900000099")
    assert refused.value.code == "too_many_codes"
    assert MobileCode.objects.count() == 20 and len(sms.outbox) == 20


def test_a_login_code_reaches_only_a_residents_account_and_the_answer_is_the_same(community: Area) -> None:
    _code(mobile="13800000001", purpose=Purpose.LOGIN)
    assert not sms.outbox  # no account: nothing sent, yet the page says the same
    make_resident(community, mobile="13800000002")
    _code(mobile="13800000002", purpose=Purpose.LOGIN)
    assert [m.mobile for m in sms.outbox] == ["13800000002"]


# ---------------------------------------------------------------- registering


def test_a_resident_registers_with_the_code_and_is_recorded_with_their_consent(community: Area) -> None:
    _code()
    user = _register(community)
    assert user.display_name == "张桂兰" and user.mobile == MOBILE and user.check_password(PASSWORD)
    assert user.roles.filter(role=RoleAssignment.Role.RESIDENT).exists()
    resident = Resident.objects.get(user=user)
    assert resident.community == community and resident.privacy_version == PRIVACY_VERSION
    assert Event.objects.filter(verb="registered", subject_id=resident.pk).exists()
    assert AuditEntry.objects.filter(action="resident_registered", target=f"accounts.user:{user.pk}").exists()
    assert MobileCode.objects.get().used_at is not None


def test_a_wrong_code_is_refused_and_counted(community: Area) -> None:
    _code()
    with pytest.raises(ValidationError) as refused:
        _register(community, code="000000" if code_sent_to(MOBILE) != "000000" else "111111")
    assert refused.value.code == "wrong_code"
    assert MobileCode.objects.get().tries == 1
    _nothing_registered()


def test_an_expired_code_is_refused(community: Area) -> None:
    _code()
    MobileCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as refused:
        _register(community)
    assert refused.value.code == "expired"
    _nothing_registered()


def test_after_five_wrong_tries_even_the_right_code_is_refused(community: Area) -> None:
    _code()
    right = code_sent_to(MOBILE)
    wrong = "000000" if right != "000000" else "111111"
    for _n in range(CODE_TRIES):
        with pytest.raises(ValidationError):
            _register(community, code=wrong)
    with pytest.raises(ValidationError) as refused:
        _register(community, code=right)
    assert refused.value.code == "too_many_tries"
    _nothing_registered()


def test_a_used_code_cannot_register_twice(community: Area) -> None:
    _code()
    code = code_sent_to(MOBILE)
    _register(community, code=code)
    with pytest.raises(ValidationError) as refused:
        _register(community, code=code)
    assert refused.value.code == "expired"
    assert Resident.objects.count() == 1


def test_a_mobile_with_an_account_is_refused_only_after_its_code(community: Area) -> None:
    make_resident(community, mobile=MOBILE)
    _code()  # a code goes out as for any number: the screen tells a stranger nothing
    with pytest.raises(ValidationError) as refused:
        _register(community, name="冒名者")
    assert refused.value.code == "mobile_taken"
    assert User.objects.count() == 1 and Resident.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"consent": False}, "no_consent"),
        ({"name": "  "}, "no_name"),
        ({"password": "123"}, "password_too_short"),
    ],
)
def test_bad_input_is_refused_before_the_code_is_spent(
    community: Area, overrides: dict[str, object], code: str
) -> None:
    _code()
    with pytest.raises(ValidationError) as refused:
        _register(community, **overrides)
    assert code in [e.code for e in refused.value.error_list]
    assert MobileCode.objects.get().tries == 0
    _nothing_registered()


def test_a_district_is_no_community_to_live_in(city: City, community: Area) -> None:
    _code()
    for place in (None, Area.objects.get_parent(community)):
        with pytest.raises(ValidationError) as refused:
            _register(place)
        assert refused.value.code == "bad_community"
        assert "community or village" in refused.value.messages[0]
    _nothing_registered()


# ---------------------------------------------------------------- logging in with a code


def test_a_resident_logs_in_with_a_code_and_it_is_audited(community: Area) -> None:
    resident = make_resident(community, mobile=MOBILE)
    _code(purpose=Purpose.LOGIN)
    user = resident_login_with_code(mobile=MOBILE, code=code_sent_to(MOBILE), ip_address="203.0.113.7")
    assert user == resident.user
    assert AuditEntry.objects.filter(action="mobile_code_login", actor=user).exists()


def test_a_registration_code_does_not_log_in(community: Area) -> None:
    make_resident(community, mobile=MOBILE)
    _code(purpose=Purpose.REGISTER)
    with pytest.raises(ValidationError) as refused:
        resident_login_with_code(mobile=MOBILE, code=code_sent_to(MOBILE), ip_address=None)
    assert refused.value.code == "expired"


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_wrong_login_codes_lock_the_account_like_wrong_passwords(community: Area) -> None:
    make_resident(community, mobile=MOBILE)
    _code(purpose=Purpose.LOGIN)
    right = code_sent_to(MOBILE)
    wrong = "000000" if right != "000000" else "111111"
    for _n in range(2):
        with pytest.raises(ValidationError):
            resident_login_with_code(mobile=MOBILE, code=wrong, ip_address=None)
    with pytest.raises(ValidationError) as refused:
        resident_login_with_code(mobile=MOBILE, code=right, ip_address=None)
    assert refused.value.code == "locked"
    assert not AuditEntry.objects.filter(action="mobile_code_login").exists()
