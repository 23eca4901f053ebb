"""Similar open demands: Chinese text compared by character n-grams, no external models.

Chinese is written without spaces, so words are approximated by overlapping character
bigrams and trigrams (广场舞噪音 → 广场 场舞 舞噪 噪音, 广场舞 场舞噪 ...). Punctuation and
common function characters (的 了 在 ...) split the text so n-grams never span them. Two texts
compare by the cosine of their weighted n-gram sets; single characters count a little, so
"跳舞的音响太吵" still meets "广场舞噪音" through 舞 and 音.

The database narrows first (open, recent, same area subtree, newest first, at most
MAX_CANDIDATES rows of two short columns); Python then scores that bounded set, so the
answer stays fast however many demands the city holds.
"""

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lianxin.demands.models import Demand, DemandCategory
from lianxin.organizations.models import Area

# How far back an open demand counts as "the same problem being raised again".
RECENT_DAYS = 90
# The most rows scored in Python for one question.
MAX_CANDIDATES = 2000
# Only the start of a long description is compared; the gist of a complaint comes first.
DESCRIPTION_CHARS = 300
# Below this score two texts are not shown as similar (unrelated complaints score under 0.1).
THRESHOLD = 0.15
# A title names the problem; its n-grams weigh more than the description's.
TITLE_WEIGHT = 1.5
# A demand in the same category is a little more likely to be the same problem.
SAME_CATEGORY_BONUS = 0.05

# Function characters that carry no subject matter; they split the text like punctuation.
STOP_CHARACTERS = frozenset(
    "的了着过是在和与及或也都就还又把被给对让向从而且但却啊吗呢吧呀哦嗯么我你他她它们这那个些每很太再请有"
)
# Feature weights: bigrams carry most of the meaning, trigrams confirm it, single characters
# keep near-synonyms (跳舞 / 广场舞) from scoring zero.
WEIGHTS = {1: 0.3, 2: 1.0, 3: 1.0}

_LATIN = re.compile(r"[a-z0-9]+")


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _runs(text: str) -> tuple[list[str], list[str]]:
    """The runs of Chinese characters, and the Latin words and numbers, of `text`."""
    text = unicodedata.normalize("NFKC", text).lower()
    runs: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_cjk(char) and char not in STOP_CHARACTERS:
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs, _LATIN.findall(text)


def features(text: str) -> dict[str, float]:
    """The weighted n-grams of `text`: 1-, 2- and 3-grams of each Chinese run, plus Latin words."""
    runs, words = _runs(text)
    found: dict[str, float] = {}
    for run in runs:
        for n, weight in WEIGHTS.items():
            for i in range(len(run) - n + 1):
                found[run[i : i + n]] = weight
    for word in words:
        found["#" + word] = 1.0
    return found


def text_features(text: str) -> dict[str, float]:
    """Features of a demand's text as `demand_text` writes it: the first line is the title."""
    title, _newline, description = text.partition("\n")
    found = features(description[:DESCRIPTION_CHARS])
    for key, weight in features(title).items():
        found[key] = found.get(key, 0.0) + weight * TITLE_WEIGHT
    return found


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two feature sets, from 0 (nothing shared) to 1 (the same)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    shared = sum(weight * b[key] for key, weight in a.items() if key in b)
    if not shared:
        return 0.0
    norm_a = math.sqrt(sum(w * w for w in a.values()))
    norm_b = math.sqrt(sum(w * w for w in b.values()))
    return shared / (norm_a * norm_b)


def demand_text(title: str, description: str) -> str:
    """One text for a demand: the title on the first line, then the start of the description."""
    return f"{' '.join(title.split())}\n{description[:DESCRIPTION_CHARS]}"


def text_similarity(a: str, b: str) -> float:
    """How alike two texts written by `demand_text` are."""
    return similarity(text_features(a), text_features(b))


@dataclass(frozen=True)
class SimilarDemand:
    demand: Demand
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _excluded_ids(exclude: Demand | int | Iterable[Demand | int] | None) -> list[int]:
    if exclude is None:
        return []
    items = [exclude] if isinstance(exclude, (Demand, int)) else list(exclude)
    return [item.pk if isinstance(item, Demand) else int(item) for item in items]


def similar_open_demands(
    *,
    text: str,
    area: Area,
    category: DemandCategory | None = None,
    limit: int = 5,
    exclude: Demand | int | Iterable[Demand | int] | None = None,
    queryset: QuerySet[Demand] | None = None,
    threshold: float = THRESHOLD,
) -> list[SimilarDemand]:
    """Open demands of the last RECENT_DAYS in `area`'s subtree whose text resembles `text`, best first.

    `text` is written by `demand_text` (title on the first line).
    `queryset` narrows the search further (the viewer's scope); `exclude` leaves out a demand
    (the one being compared, when it already exists).
    """
    wanted = text_features(text)
    if not wanted:
        return []
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    base = queryset if queryset is not None else Demand.objects.all()
    rows = (
        base.filter(
            status__in=Demand.OPEN_STATUSES,
            created_at__gte=since,
            area__path__startswith=area.path,
        )
        .exclude(pk__in=_excluded_ids(exclude))
        .order_by("-created_at", "-id")
        .values_list("pk", "title", "description", "category_id")[:MAX_CANDIDATES]
    )
    scored: list[tuple[float, int]] = []
    for pk, title, description, category_id in rows:
        score = similarity(wanted, text_features(demand_text(title, description)))
        if score and category is not None and category_id == category.pk:
            score = min(1.0, score + SAME_CATEGORY_BONUS)
        if score >= threshold:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    best = scored[:limit]
    if not best:
        return []
    by_id = Demand.objects.select_related("area", "category", "responsible_unit").in_bulk([pk for _s, pk in best])
    return [SimilarDemand(by_id[pk], score) for score, pk in best if pk in by_id]
