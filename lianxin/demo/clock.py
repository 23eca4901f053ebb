"""The demo's clock: every step of a demo record is done by the app's own service, with the
clock set back to the moment the story gives it, so the demo keeps the rules the product keeps.

`time_machine.travel(..., tick=False)` stops the clock at that moment: `timezone.now()`,
`timezone.localdate()` and every auto_now_add field read it, so a service stamps its row and
its timeline Event as it would have on that day.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import time_machine


@contextmanager
def back_to(at: datetime) -> Iterator[None]:
    """Run the block with the clock stopped at `at`."""
    with time_machine.travel(at, tick=False):
        yield
