"""Expected answers of the named queries, computed from the parsed documents alone.

Each function here answers one competency question from the `Standard` objects the
readers produce (`Build.documents[i].standard`), with `kg.labels.normalise` for the
shared concept of a K, S or A item and `kg.align.is_match` for near matches. None of
it reads the graph: a row the query returns and the oracle does not (or the other way
round) is a fault in the mapping, the alignment or the query.

A row is a dict of strings, with the query's column names; a column the query leaves
unbound is absent. Columns that hold several values (codes, labels) hold them joined
by a separator, as the query does; the tests compare them as sets.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from kg.align import is_match
from kg.labels import normalise
from kg.model import Classification, Item, Standard, Task
from kg.uris import Minter

Row = dict[str, str]
KINDS = ("knowledge", "skill")
# Item list of the model for each kind of concept.
FIELDS = {"knowledge": "knowledge", "skill": "skills", "attitude": "attitudes"}
_REPLACED_BY = re.compile(r"已被《([^》]+)》取代")
_ISCO_GROUP = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Corpus:
    """The parsed standards of one build, and the minter of its URIs."""

    standards: tuple[Standard, ...]
    minter: Minter

    def get(self, code: str) -> Standard | None:
        return next((s for s in self.standards if s.code == code), None)

    def codes(self) -> set[str]:
        return {s.code for s in self.standards}


def row(**columns: str | int | None) -> Row:
    """A row of the columns that have a value (unbound columns are absent)."""
    return {key: str(value) for key, value in columns.items() if value is not None and value != ""}


def text_or_none(value: str | None) -> str | None:
    """A text as the graph keeps it: the mapping writes no empty literal."""
    return value or None


def concepts(standard: Standard, kind: str) -> set[str]:
    """The normalised labels of the items of one kind a standard lists."""
    return {label for item in getattr(standard, FIELDS[kind]) if (label := normalise(item.name))}


def items_by_code(items: Iterable[Item]) -> dict[str, list[Item]]:
    found: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        found[item.code].append(item)
    return found


def standard_name(standard: Standard) -> str | None:
    return text_or_none(standard.name)


def passes(standard: Standard, job_category: str | None, occupation: str | None, industry: str | None) -> bool:
    """The classification filters: a code prefix, any code of that kind matching."""
    for prefix, entries in (
        (job_category, standard.job_categories),
        (occupation, standard.occupations),
        (industry, standard.industries),
    ):
        if prefix is not None and not any(entry.code.startswith(prefix) for entry in entries if entry.code):
            return False
    return True


def one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    return values[0] if values else None


def decimal(value: Fraction) -> str:
    """A fraction whose denominator divides a power of ten, as a decimal string."""
    return str(Decimal(value.numerator) / Decimal(value.denominator))


def round_half_up(value: Fraction, places: int = 3) -> Fraction:
    """SPARQL ROUND (halves go up), as the query rounds a ratio to three decimals."""
    scale = 10**places
    return Fraction(floor(value * scale + Fraction(1, 2)), scale)


# --- standard-outline ------------------------------------------------------------------


def standard_outline(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Every part of every block, in the document's order.

    K and S rows: one per name the document gives the cited code, ordered by the
    position of the code in the document's list; a code it never lists has a row
    with neither notation nor label.
    """
    standard = corpus.get(one(params, "standard") or "")
    if standard is None:
        return []
    knowledge, skills = items_by_code(standard.knowledge), items_by_code(standard.skills)
    positions = {
        kind: {code: i for i, code in enumerate(listed, 1)}
        for kind, listed in (("knowledge", knowledge), ("skill", skills))
    }
    rows: list[Row] = []
    for duty in standard.duties:
        for task in duty.tasks:
            for block in task.blocks:
                head = {
                    "duty": duty.code,
                    "dutyLabel": text_or_none(duty.name),
                    "task": task.code,
                    "taskLabel": text_or_none(task.name),
                    "level": block.level,
                }
                for indicator in block.indicators:
                    label = text_or_none(indicator.text)
                    rows.append(row(**head, part="indicator", partNotation=indicator.code, partLabel=label))
                for output in block.outputs:
                    label = text_or_none(output.name)
                    rows.append(row(**head, part="output", partNotation=output.code, partLabel=label))
                for part, cited, listed in (("knowledge", block.knowledge, knowledge), ("skill", block.skills, skills)):
                    parts: list[tuple[tuple[int, str, str], Row]] = []
                    for code in set(cited):
                        names = sorted({item.name for item in listed.get(code, []) if item.name})
                        if code not in listed:
                            parts.append(((0, "", ""), row(**head, part=part)))
                        elif not names:
                            parts.append(((positions[part][code], code, ""), row(**head, part=part, partNotation=code)))
                        for name in names:
                            key = (positions[part][code], code, name)
                            parts.append((key, row(**head, part=part, partNotation=code, partLabel=name)))
                    rows.extend(r for _, r in sorted(parts, key=lambda pair: pair[0]))
    return rows


# --- skill-frequency ---------------------------------------------------------------------


def skill_frequency(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Concepts by the number of standards (passing the filters) that list them."""
    level = one(params, "level")
    counted = [
        s
        for s in corpus.standards
        if passes(s, one(params, "jobCategory"), one(params, "occupation"), one(params, "industry"))
        and (level is None or (s.level is not None and s.level >= int(level)))
    ]
    counts: Counter[tuple[str, str]] = Counter()
    for standard in counted:
        for kind in KINDS:
            counts.update((kind, label) for label in concepts(standard, kind))
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0][0], pair[0][1]))
    return [row(kind=kind, label=label, standards=count) for (kind, label), count in ranked]


# --- shared-skills, shared-knowledge --------------------------------------------------------


def shared(kind: str) -> Callable[[Corpus, dict[str, list[str]]], list[Row]]:
    def shared_concepts(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
        """Exact: concepts at least two given standards list. Close: near-matching
        concepts of two given standards, both sides listed, not only by one standard."""
        given = [s for code in dict.fromkeys(params["standards"]) if (s := corpus.get(code))]
        needers: dict[str, set[str]] = defaultdict(set)
        for standard in given:
            for label in concepts(standard, kind):
                needers[label].add(standard.code)
        rows = [
            row(match="exact", label=label, neededBy=" ".join(sorted(codes)))
            for label, codes in needers.items()
            if len(codes) >= 2
        ]
        labels = sorted(needers)
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                score = is_match(a, b)
                if score is None or len(needers[a] | needers[b]) < 2:
                    continue
                # The query names the pair by its concepts' URIs, the lower one first.
                low, high = sorted((a, b), key=lambda label: str(corpus.minter.concept(kind, label)))
                rows.append(
                    row(
                        match="close",
                        label=low,
                        neededBy=" ".join(sorted(needers[low])),
                        closeLabel=high,
                        closeNeededBy=" ".join(sorted(needers[high])),
                        score=str(round(score, 3)),
                    )
                )
        return rows

    return shared_concepts


# --- standards-needing ---------------------------------------------------------------------


def standards_needing(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Each (standard, K or S concept whose label contains the text, task, level)."""
    needle = (one(params, "label") or "").lower()
    found: set[tuple[tuple[str, str], ...]] = set()
    for standard in corpus.standards:
        for kind in KINDS:
            for item in getattr(standard, FIELDS[kind]):
                label = normalise(item.name)
                if not label or needle not in label.lower():
                    continue
                for task in standard.tasks():
                    for block in task.blocks:
                        cited = block.knowledge if kind == "knowledge" else block.skills
                        if item.code in cited:
                            found.add(
                                tuple(
                                    row(
                                        standard=standard.code,
                                        standardName=standard_name(standard),
                                        kind=kind,
                                        notation=item.code,
                                        concept=str(corpus.minter.concept(kind, item.name)),
                                        conceptLabel=label,
                                        task=task.code,
                                        taskLabel=text_or_none(task.name),
                                        level=block.level,
                                    ).items()
                                )
                            )
    return [dict(r) for r in found]


# --- similar-standards -----------------------------------------------------------------------


def similar_standards(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Other standards by Jaccard similarity of their K and S concept sets."""
    standard = corpus.get(one(params, "standard") or "")
    if standard is None:
        return []

    def keyed(s: Standard) -> set[tuple[str, str]]:
        return {(kind, label) for kind in KINDS for label in concepts(s, kind)}

    mine = keyed(standard)
    ranked = []
    for other in corpus.standards:
        theirs = keyed(other)
        common = mine & theirs
        if other.code == standard.code or not common:
            continue
        jaccard = Fraction(len(common), len(mine | theirs))
        ranked.append((-jaccard, -len(common), other.code, other, theirs, common))
    return [
        row(
            other=code,
            otherName=standard_name(other),
            shared=len(common),
            size=len(mine),
            otherSize=len(theirs),
            similarity=decimal(round_half_up(-negative)),
            concepts=" | ".join(sorted({label for _, label in common})),
        )
        for negative, _, code, other, theirs, common in sorted(ranked, key=lambda entry: entry[:3])
    ]


# --- career-gap ----------------------------------------------------------------------------


def career_gap(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """K and S concepts of `to` that `from` lacks, with the tasks of `to` citing them."""
    source, target = corpus.get(one(params, "from") or ""), corpus.get(one(params, "to") or "")
    if source is None or target is None:
        return []
    rows = []
    for kind in KINDS:
        held = concepts(source, kind)
        seen: set[tuple[str, str, int, int | None]] = set()
        for item in getattr(target, FIELDS[kind]):
            label = normalise(item.name)
            if not label or label in held:
                continue
            near = sorted(h for h in held if is_match(label, h) is not None)
            for index, task in enumerate(target.tasks()):
                for block in task.blocks:
                    cited = block.knowledge if kind == "knowledge" else block.skills
                    key = (item.code, label, index, block.level)
                    if item.code not in cited or key in seen:
                        continue
                    seen.add(key)
                    rows.append(
                        row(
                            kind=kind,
                            label=label,
                            notation=item.code,
                            task=task.code,
                            taskLabel=text_or_none(task.name),
                            level=block.level,
                            closeMatchesHeld=" | ".join(near),
                        )
                    )
    return rows


# --- version-history -------------------------------------------------------------------------


def version_history(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """The version table of the newest loaded document that lists the code."""
    code = one(params, "standard") or ""
    loaded = corpus.codes()
    listing = [s for s in corpus.standards if any(v.code == code for v in s.versions)]
    newest = [
        s
        for s in listing
        if not any(o.code != s.code and any(v.code == s.code for v in o.versions) for o in corpus.standards)
    ]
    rows = []
    for document in newest:
        for position, version in enumerate(document.versions, 1):
            name = version.name or (document.name if version.code == document.code else "")
            replaced = _REPLACED_BY.search(version.note)
            rows.append(
                row(
                    position=position,
                    version=version.version,
                    code=version.code,
                    name=name,
                    status=version.status,
                    updated=version.date,
                    note=version.note,
                    replacedBy=str(corpus.minter.standard(replaced.group(1))) if replaced else None,
                    loaded="true" if version.code in loaded else "false",
                )
            )
    return rows


# --- version-diff ------------------------------------------------------------------------------


def _parts(standard: Standard) -> dict[tuple[str, str, str], set[str]]:
    """(kind, key, label) → notations: document parts by code and text, K/S/A by concept."""
    parts: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    def add(kind: str, code: str, label: str) -> None:
        parts[(kind, code, label)].add(code)

    for duty in standard.duties:
        add("duty", duty.code, duty.name)
    for task in standard.tasks():
        add("task", task.code, task.name)
    for block in standard.blocks():
        for indicator in block.indicators:
            add("indicator", indicator.code, indicator.text)
        for output in block.outputs:
            add("output", output.code, output.name)
    for kind, field in FIELDS.items():
        for item in getattr(standard, field):
            if label := normalise(item.name):
                parts[(kind, "", label)].add(item.code)
    return parts


def version_diff(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Parts only in `to` (added) and only in `from` (removed)."""
    source, target = corpus.get(one(params, "from") or ""), corpus.get(one(params, "to") or "")
    if source is None or target is None:
        return []
    before, after = _parts(source), _parts(target)
    rows = []
    for change, mine, theirs in (("added", after, before), ("removed", before, after)):
        for (kind, _, label), notations in mine.items():
            if (kind, _, label) not in theirs:
                rows.append({"change": change, "kind": kind, "notation": " ".join(sorted(notations)), "label": label})
    return rows


# --- by-classification ---------------------------------------------------------------------------


def by_classification(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Standards under the given code prefixes, with all their codes and ISCO-08 groups."""
    rows = []
    for standard in sorted(corpus.standards, key=lambda s: s.code):
        if not passes(standard, one(params, "jobCategory"), one(params, "occupation"), one(params, "industry")):
            continue

        def codes(entries: Iterable[Classification]) -> str:
            return " ".join(sorted({entry.code for entry in entries if entry.code}))

        isco = sorted(
            {
                f"http://data.europa.eu/esco/isco/C{o.code}"
                for o in standard.occupations
                if _ISCO_GROUP.fullmatch(o.code)
            }
        )
        rows.append(
            row(
                standard=standard.code,
                name=standard_name(standard),
                level=standard.level,
                jobCategories=codes(standard.job_categories),
                occupations=codes(standard.occupations),
                industries=codes(standard.industries),
                iscoGroups=" ".join(isco),
            )
        )
    return rows


# --- tasks-at-level --------------------------------------------------------------------------------


def tasks_at_level(corpus: Corpus, params: dict[str, list[str]]) -> list[Row]:
    """Each (task, level) at or above the level, in standards passing the filters."""
    level = int(one(params, "level") or 4)
    found: set[tuple[tuple[str, str], ...]] = set()
    for standard in corpus.standards:
        if not passes(standard, one(params, "jobCategory"), one(params, "occupation"), one(params, "industry")):
            continue
        for duty in standard.duties:
            for task in duty.tasks:
                for block in task.blocks:
                    if block.level is not None and block.level >= level:
                        found.add(tuple(_task_row(standard, duty.code, task, block.level).items()))
    return [dict(r) for r in found]


def _task_row(standard: Standard, duty: str, task: Task, level: int) -> Row:
    return row(
        standard=standard.code,
        standardName=standard_name(standard),
        duty=duty,
        task=task.code,
        taskLabel=text_or_none(task.name),
        taskLevel=level,
    )
