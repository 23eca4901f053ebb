"""Text messages go through one seam: the backend named in settings decides where they land."""

import logging

import pytest
from django.test import override_settings

from lianxin.core import sms


def test_the_tests_keep_each_message_in_the_outbox() -> None:
    sms.send_sms(mobile="13912345678", text="验证码 123456")
    assert sms.outbox == [sms.Message(mobile="13912345678", text="验证码 123456")]


@override_settings(SMS_BACKEND="lianxin.core.sms.ConsoleBackend")
def test_development_prints_and_logs_the_text_with_the_number_masked(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="lianxin.sms"):
        sms.send_sms(mobile="13912345678", text="验证码 123456")
    printed = capsys.readouterr().out
    assert "139****5678" in printed and "验证码 123456" in printed and "13912345678" not in printed
    assert "验证码 123456" in caplog.text
    assert not sms.outbox
