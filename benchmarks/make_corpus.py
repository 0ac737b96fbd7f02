"""Generate a realistic records repository for the benchmarks.

    python benchmarks/make_corpus.py TARGET [--records 10000] [--seed 1]
        [--commits 2000] [--years 3] [--end-date 2026-12-01] [--check]

The repository looks like a large organisation's: about 55% incidents, 40%
postmortems (3 to 6 action items each) and 5% tabletop exercises over the
`--years` before `--end-date`, every status and severity, timestamps in several
UTC offsets (a fifth of the records leave them unquoted, which pmctl reads as
text and PyYAML turns into datetimes), about 5.6 KB per record of which about
3 KB is front matter, and a `pmctl.yaml` with severities, categories, teams,
scenarios and monthly deployment counts.

About 1% of the records are broken on purpose (a missing field, a bad
timestamp, a single contributing factor, a duplicate id, broken YAML); every
other record is valid. The manifest written next to TARGET (`TARGET.json`)
lists the broken files and what is wrong with each, and `--check` runs
`pmctl validate` to prove that the problems are exactly on those files.

With `--commits C` the folder becomes a git repository of C commits dated over
the last year: the first imports the older records, the others add the newer
ones in date order (some first as a draft, finished later). They are written
in one `git fast-import` stream, so thousands of commits take seconds. The same
arguments give the same files and the same commits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

# Bump when the generated content changes, so run.py regenerates stale corpora.
GENERATOR_VERSION = 4

BROKEN_KINDS = (
    "missing-field",
    "bad-timestamp",
    "one-contributing-factor",
    "duplicate-id",
    "broken-yaml",
)
# The rules pmctl reports for each kind of deliberate breakage.
BROKEN_RULES = {
    "missing-field": {"missing-field", "required-when-resolved"},
    "bad-timestamp": {"timestamp-format", "invalid-timestamp"},
    "one-contributing-factor": {"min-contributing-factors"},
    "duplicate-id": {"duplicate-id"},
    "broken-yaml": {"yaml-syntax"},
}


T = TypeVar("T")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
SEVERITY_WEIGHTS = (5, 20, 45, 30)
CATEGORIES = _words(
    """
    change-management capacity monitoring-gap dependency-failure configuration
    testing-gap runbook-gap alert-fatigue data-migration access-control
    software-defect infrastructure
    """
)
TEAMS = _words(
    """
    payments platform identity data edge mobile risk billing notifications sre
    storage web
    """
)
SCENARIOS = _words(
    """
    dependency-outage data-corruption region-failover credential-leak ransomware
    """
)
SERVICES = _words(
    """
    checkout-api card-auth payouts ledger refunds webhooks sso-gateway mobile-bff
    merchant-dashboard settlement-batch fraud-scoring notification-hub search-index
    edge-proxy auth-db event-bus billing-engine reporting-api otp-sender
    admin-console kyc-service currency-rates invoice-renderer session-store
    """
)
REGIONS = ("eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast")
SYMPTOMS = (
    "Elevated 5xx errors",
    "Timeouts",
    "Duplicate notifications",
    "Login failures",
    "Delayed settlement files",
    "High p99 latency",
    "Failed card authorizations",
    "Stale balances",
    "Missing webhooks",
    "Checkout errors",
    "Slow searches",
    "Dropped events",
    "Expired sessions",
    "Wrong currency conversions",
    "Blank dashboard pages",
    "Rejected API keys",
)
CAUSES = (
    "a configuration change",
    "a schema migration",
    "a certificate expiry",
    "a node pool upgrade",
    "a dependency outage",
    "a feature flag rollout",
    "a connection pool limit",
    "a DNS change",
    "a faulty deploy",
    "a queue backlog",
    "a WAF rule update",
    "a disk filling up",
    "a cache eviction storm",
    "a runaway batch job",
    "an expired API token",
    "a load balancer health check change",
)
FIRST_NAMES = _words(
    """
    Sven Owen Diego Priya Marcus Lena Kwame Aiko Fatima Tomasz Grace Ravi Ines
    Mateo Yara Noah Chen Amara Jonas Sofia
    """
)
LAST_NAMES = _words(
    """
    Lindqvist Blake Alvarez Natarajan Oyelaran Fischer Asante Tanaka Haddad Nowak
    Okafor Mehta Duarte Rossi Kowalczyk Berg Wei Mensah Keller Moreau
    """
)
OFFSETS = (0, 0, 0, 60, 120, -300, -480, 330, 540, -180)
MITIGATIONS = _words(
    """
    rollback feature-flag traffic-shaping failover config-change scaling hotfix
    other
    """
)
VERBS = (
    "confirmed",
    "noticed",
    "traced",
    "reported",
    "measured",
    "correlated",
    "ruled out",
    "checked",
)
OBSERVATIONS = (
    "error rates climbing on {service} in {region}",
    "the {service} connection pool pinned at its limit",
    "retries from {service} doubling the load on {other}",
    "{other} returning timeouts for about {pct}% of requests",
    "the last deploy of {service} lining up with the first errors",
    "queue depth on {other} growing by {num} messages a minute",
    "no change in traffic volume, which ruled out a load spike",
    "the canary in {region} failing its health checks",
    "disk usage on the {other} nodes at {pct}% and rising",
    "the {service} dashboard showing a step change at the minute of the rollout",
)
ACTIONS = (
    "Add an alert on {other} saturation above {pct}% of its limit",
    "Stage {service} configuration changes one zone at a time",
    "Write a runbook for failing {service} over to {region}",
    "Load test {service} at twice last year's peak before each release",
    "Add a CI check that rejects {service} configs above the {other} limits",
    "Automate certificate rotation for {service}",
    "Move {service} retries to exponential backoff with jitter",
    "Add a synthetic probe for the {service} critical path in {region}",
    "Review the on-call escalation path for {team}",
    "Remove the manual step from the {service} deploy pipeline",
    "Cap batch job concurrency on {other}",
    "Document the dependency of {service} on {other}",
)
ACCEPTANCE = (
    "A staging drill that pushes {other} to {pct}% of its limit pages {team} "
    "on-call within 5 minutes.",
    "A pull request that breaks the rule is blocked by CI in a test repository.",
    "The on-call engineer completes the failover in staging in under {num} "
    "minutes using only the runbook.",
    "Ninety-five percent of {service} changes in the next quarter go through "
    "the staged rollout, per the deploy audit log.",
    "A chaos test that kills {other} leaves {service} serving cached responses "
    "with no customer-facing errors.",
)
FACTORS = (
    "The change to {service} was classed as routine and rolled out to every "
    "instance in {region} at once, with no canary stage.",
    "Nothing related the {service} settings to the limits of {other}, so an "
    "invalid combination was accepted.",
    "{other} ran close to its capacity at peak, leaving little headroom for "
    "the extra load from {service}.",
    "The alert on {service} fired on a symptom {num} minutes after customers "
    "were affected, not on the cause.",
    "The runbook for {service} described a procedure that no longer matched "
    "the deployment in {region}.",
    "Integration tests for {service} ran against a stub of {other} that did "
    "not reproduce its timeouts.",
)
PARAGRAPHS = (
    "The {team} team {verb} that {obs}. The first responder compared the "
    "current behaviour against the previous week and found the change began "
    "within a minute of {cause}. Customers in {region} saw {symptom} while "
    "{service} kept retrying requests against {other}.",
    "Most merchants recovered without intervention once {service} stabilised, "
    "but about {pct}% of affected requests were not retried and needed manual "
    "reconciliation by the {team} team over the following {num} hours.",
    "Earlier signals existed: {obs}. Those signals were visible on dashboards "
    "but did not page anyone, because the thresholds had been tuned for a "
    "quieter traffic pattern than the one {region} now sees.",
    "The decision to mitigate rather than keep investigating was made once "
    "the team had {verb} {obs}; the safest reversible step was preferred over "
    "a faster but riskier fix to {other}.",
    "Communication went out through the status page and the merchant mailing "
    "list. Support saw about {num} tickets, most of them asking whether failed "
    "payments would be charged twice.",
    "Follow-up work focuses on making the same class of failure impossible "
    "rather than on the single defect: {service} and {other} should refuse "
    "configurations that their neighbours cannot sustain.",
)

_CHOICES = {"region": REGIONS, "team": TEAMS, "verb": VERBS, "cause": CAUSES}
_PLAIN = re.compile(r"^[A-Za-z][^:#\n\"'`{}\[\]]*$")
_SLUG = re.compile(r"[^a-z0-9]+")
# Lines of at most 78 characters, broken at spaces.
_WRAP = re.compile(r"(.{1,78})(?: |$)")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_RESERVED = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}


@dataclass
class Spec:
    """One record before it is written: enough to render it and link it."""

    kind: str
    when: datetime
    index: int
    id: str = ""
    path: str = ""
    status: str = ""
    incidents: list[str] = field(default_factory=list)
    broken: str | None = None
    duplicate_of: str | None = None
    text: str = ""


class Writer:
    """Renders front matter fields for one record in one consistent style."""

    def __init__(self, rng: random.Random, offset: int, quoted: bool) -> None:
        self.rng = rng
        self.offset = offset
        self.quoted = quoted
        self.lines: list[str] = []

    def ts(self, moment: datetime) -> str:
        offset = 0 if self.rng.random() < 0.1 else self.offset
        local = moment + timedelta(minutes=offset)
        text = local.strftime("%Y-%m-%dT%H:%M:%S")
        if offset == 0:
            text += "Z"
        else:
            sign = "+" if offset > 0 else "-"
            hours, minutes = divmod(abs(offset), 60)
            text += f"{sign}{hours:02d}:{minutes:02d}"
        return f'"{text}"' if self.quoted else text

    def day(self, value: date) -> str:
        text = value.isoformat()
        return f'"{text}"' if self.quoted else text

    def add(self, line: str) -> None:
        self.lines.append(line)

    def field(self, indent: str, key: str, value: str) -> None:
        self.lines.append(f"{indent}{key}: {value}")

    def items(self, indent: str, key: str, values: list[str]) -> None:
        self.lines.append(f"{indent}{key}:")
        self.lines.extend(f"{indent}  - {text(v)}" for v in values)


def text(value: str) -> str:
    """A YAML scalar for free text: plain when safe, double-quoted otherwise."""
    if _PLAIN.match(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


def slug(title: str) -> str:
    return _SLUG.sub("-", title.lower()).strip("-")[:48].rstrip("-")


class FastRandom(random.Random):
    """`random.Random` with cheaper `choice` and `randint`; still seeded."""

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


class Vocabulary:
    """Random names, services and sentences drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]

    def person(self) -> str:
        return self.rng.choice(self.people)

    def people_list(self, low: int, high: int) -> list[str]:
        return self.rng.sample(self.people, self.rng.randint(low, high))

    def fill(self, template: str) -> str:
        """The template with each `{name}` replaced by a fresh random value."""
        return _PLACEHOLDER.sub(self._value, template)

    def _value(self, match: re.Match[str]) -> str:
        rng = self.rng
        name = match.group(1)
        if name in ("service", "other"):
            return rng.choice(SERVICES)
        if name == "pct":
            return str(rng.randint(3, 97))
        if name == "num":
            return str(rng.randint(2, 400))
        if name == "obs":
            return self.fill(rng.choice(OBSERVATIONS))
        if name == "symptom":
            return rng.choice(SYMPTOMS).lower()
        return rng.choice(_CHOICES[name])

    def observation(self) -> str:
        sentence = self.fill("{verb} {obs}")
        return sentence[0].upper() + sentence[1:] + "."

    def title(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(SYMPTOMS)} on {rng.choice(SERVICES)} in "
            f"{rng.choice(REGIONS)} after {rng.choice(CAUSES)}"
        )

    def body(self, sections: tuple[str, ...], size: int) -> str:
        """Markdown sections of paragraphs, about `size` characters in all."""
        parts: list[str] = []
        per_section = size // len(sections)
        for heading in sections:
            parts.append(f"## {heading}\n")
            written = 0
            while written < per_section:
                paragraph = _wrap(self.fill(self.rng.choice(PARAGRAPHS)))
                parts.append(paragraph + "\n")
                written += len(paragraph) + 1
        return "\n".join(parts)


def _wrap(paragraph: str) -> str:
    return "\n".join(_WRAP.findall(paragraph))


def render_incident(spec: Spec, words: Vocabulary, rng: random.Random) -> str:
    out = Writer(rng, rng.choice(OFFSETS), quoted=rng.random() < 0.8)
    started = spec.when
    detected = started + timedelta(minutes=rng.choice((0, 0, 1, 2, 4, 7, 12, 25)))
    communicated = detected + timedelta(minutes=rng.randint(2, 40))
    mitigated = detected + timedelta(minutes=rng.randint(5, 300))
    resolved = max(mitigated, communicated) + timedelta(minutes=rng.randint(10, 900))
    status = spec.status
    services = rng.sample(SERVICES, rng.randint(1, 3))

    out.field("", "id", spec.id)
    out.field("", "kind", "incident")
    out.field("", "title", text(words.title()))
    out.field("", "severity", rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0])
    out.field("", "status", status)
    if spec.broken == "missing-field":
        out.add("commanders:")
        out.add(f"  - {words.person()}")
    else:
        out.field("", "commander", words.person())
    out.field("", "comms_lead", words.person())
    out.items("", "teams", rng.sample(TEAMS, rng.randint(1, 3)))
    out.items("", "services", services)
    out.field("", "started_at", out.ts(started))
    if spec.broken == "bad-timestamp":
        bad = started.strftime("%Y-%m-%d %H:%M")
        out.field("", "detected_at", f'"{bad}"')
    else:
        out.field("", "detected_at", out.ts(detected))
    if status != "investigating":
        out.field("", "communicated_at", out.ts(communicated))
        out.field("", "mitigated_at", out.ts(mitigated))
    if status == "resolved":
        out.field("", "resolved_at", out.ts(resolved))
    out.add("impact:")
    out.field("  ", "summary", text(words.fill(PARAGRAPHS[1])))
    customer_facing = rng.random() < 0.7
    out.field("  ", "customer_facing", "true" if customer_facing else "false")
    out.field("  ", "slo_breached", "true" if rng.random() < 0.4 else "false")
    out.items("  ", "slos", [f"{s}-availability" for s in services[:2]])
    out.field("  ", "users_affected", str(rng.randint(0, 250_000)))
    if status == "resolved":
        out.field("", "change_induced", "true" if rng.random() < 0.45 else "false")
    if status != "investigating":
        out.field("", "mitigation", rng.choice(MITIGATIONS))

    _incident_timeline(out, words, rng, status, detected, communicated, mitigated)
    if status == "resolved":
        out.add(f"  - at: {out.ts(resolved)}")
        out.add("    kind: resolution")
        out.add(f"    text: {text(words.observation())}")
    _links(out, spec, rng)

    front = "\n".join(out.lines) + "\n"
    body = words.body(("Summary", "Impact", "Notes"), rng.randint(2000, 2600))
    return f"---\n{front}---\n\n{body}"


def _incident_timeline(
    out: Writer,
    words: Vocabulary,
    rng: random.Random,
    status: str,
    detected: datetime,
    communicated: datetime,
    mitigated: datetime,
) -> None:
    end = mitigated if status != "investigating" else communicated
    entries = [(detected, "detection"), (communicated, "communication")]
    if status != "investigating":
        entries += [(mitigated - timedelta(minutes=1), "decision")]
        entries += [(mitigated, "mitigation")]
    span = max(1, int((end - detected).total_seconds() // 60))
    for _ in range(rng.randint(6, 8)):
        moment = detected + timedelta(minutes=rng.randint(0, span))
        entries.append((moment, rng.choice(("note", "escalation", "note"))))
    entries.sort(key=lambda entry: entry[0])

    out.add("timeline:")
    for moment, kind in entries:
        out.add(f"  - at: {out.ts(moment)}")
        out.add(f"    kind: {kind}")
        out.add(f"    text: {text(words.observation())}")
        if rng.random() < 0.6:
            out.add(f"    by: {words.person()}")


def _links(out: Writer, spec: Spec, rng: random.Random) -> None:
    service = rng.choice(SERVICES)
    number = spec.id.lower()
    out.add("links:")
    for kind, url, title in (
        ("dashboard", f"https://grafana.example.com/d/{service}/overview", True),
        ("logs", f"https://logs.example.com/app/discover#/view/{service}", False),
        ("chat", f"https://chat.example.com/archives/{number}", False),
        ("ticket", f"https://jira.example.com/browse/OPS-{spec.index}", True),
    ):
        out.add(f"  - kind: {kind}")
        out.add(f"    url: {text(url)}")
        if title:
            out.add(f"    title: {text(service + ' ' + kind)}")


def render_postmortem(spec: Spec, words: Vocabulary, rng: random.Random) -> str:
    out = Writer(rng, rng.choice(OFFSETS), quoted=rng.random() < 0.8)
    written = spec.when.date()

    out.field("", "id", spec.id)
    out.field("", "kind", "postmortem")
    out.field("", "title", text(words.title()))
    out.items("", "incidents", spec.incidents)
    out.field("", "status", spec.status)
    if spec.broken == "missing-field":
        out.field("", "author", words.person())
    else:
        out.items("", "authors", words.people_list(1, 3))
    if spec.status == "published":
        reviewed = written + timedelta(days=rng.randint(1, 10))
        out.field("", "reviewed_on", out.day(reviewed))
    out.field("", "impact", text(words.fill(PARAGRAPHS[1])))

    start = spec.when - timedelta(days=rng.randint(2, 20))
    out.add("timeline:")
    kinds = ("detection", "escalation", "note", "decision", "mitigation", "resolution")
    for step, kind in enumerate(kinds[: rng.randint(3, 6)]):
        at = out.ts(start + timedelta(minutes=17 * step))
        if spec.broken == "bad-timestamp" and step == 0:
            # The right shape, but 30 February does not exist.
            at = f'"{start.year}-02-30T10:00:00Z"'
        out.add(f"  - at: {at}")
        out.add(f"    kind: {kind}")
        out.add(f"    text: {text(words.observation())}")

    factors = 1 if spec.broken == "one-contributing-factor" else rng.randint(2, 3)
    out.add("contributing_factors:")
    for category in rng.sample(CATEGORIES, factors):
        out.add(f"  - category: {category}")
        out.add(f"    description: {text(words.fill(rng.choice(FACTORS)))}")

    _actions(out, words, rng, written, rng.randint(3, 6))
    front = "\n".join(out.lines) + "\n"
    sections = ("Summary", "Impact", "Timeline", "Contributing factors")
    body = words.body(sections, rng.randint(1900, 2500))
    return f"---\n{front}---\n\n{body}"


def render_exercise(spec: Spec, words: Vocabulary, rng: random.Random) -> str:
    out = Writer(rng, 0, quoted=rng.random() < 0.8)
    held = spec.when.date()

    out.field("", "id", spec.id)
    out.field("", "kind", "exercise")
    out.field("", "title", text(words.title().replace("after", "tabletop:", 1)))
    out.field("", "held_on", out.day(held))
    out.field("", "scenario", rng.choice(SCENARIOS))
    out.field("", "facilitator", words.person())
    if spec.broken != "missing-field":
        out.items("", "participants", words.people_list(3, 9))

    _actions(out, words, rng, held, rng.randint(2, 5))
    front = "\n".join(out.lines) + "\n"
    body = words.body(("Scenario", "Observations", "Follow-ups"), 3200)
    return f"---\n{front}---\n\n{body}"


def _actions(
    out: Writer, words: Vocabulary, rng: random.Random, written: date, count: int
) -> None:
    systemic_one = rng.randrange(count)
    out.add("actions:")
    for number in range(1, count + 1):
        due = written + timedelta(days=rng.randint(14, 180))
        status = rng.choices(
            ("open", "in-progress", "done", "wont-do"), (25, 20, 45, 10)
        )[0]
        out.add(f"  - id: A{number}")
        out.add(f"    title: {text(words.fill(rng.choice(ACTIONS)))}")
        out.add(f"    owner: {words.person()}")
        out.add(f"    team: {rng.choice(TEAMS)}")
        out.add(f"    due: {out.day(due)}")
        out.add(f"    status: {status}")
        systemic = number - 1 == systemic_one or rng.random() < 0.3
        out.add(f"    systemic: {'true' if systemic else 'false'}")
        out.add(f"    acceptance: {text(words.fill(rng.choice(ACCEPTANCE)))}")
        if rng.random() < 0.7:
            out.add(f"    tracker: {rng.choice(TEAMS).upper()}-{rng.randint(1, 9999)}")
        if status in ("done", "wont-do"):
            closed = written + timedelta(days=rng.randint(3, 200))
            out.add(f"    closed_on: {out.day(closed)}")
            if status == "done" and rng.random() < 0.5:
                out.add("    verified: true")


def break_yaml(record: str) -> str:
    """Leave a double quote open in the title, as a hurried edit does."""
    return re.sub(
        r"^title: .*$", 'title: "Unfinished edit', record, count=1, flags=re.M
    )


def plan(
    records: int, rng: random.Random, start: datetime, end: datetime
) -> list[Spec]:
    """Kinds, dates and ids of every record, postmortems linked to incidents."""
    seconds = int((end - start).total_seconds())
    counts = {
        "incident": round(records * 0.55),
        "exercise": max(1, round(records * 0.05)),
    }
    counts["postmortem"] = records - counts["incident"] - counts["exercise"]

    incidents = [
        Spec("incident", start + timedelta(seconds=rng.randrange(seconds)), i)
        for i in range(counts["incident"])
    ]
    _assign_ids(incidents, "INC", "incidents")
    for spec in incidents:
        spec.status = rng.choices(
            ("investigating", "mitigated", "resolved"), (4, 8, 88)
        )[0]
        if spec.when > end - timedelta(days=3):
            spec.status = "investigating"

    broken = _choose_broken(incidents, records, rng)
    linkable = [s for s in incidents if s.status == "resolved" and not s.broken]
    rng.shuffle(linkable)
    postmortems: list[Spec] = []
    for number in range(counts["postmortem"]):
        first = linkable[number % len(linkable)]
        spec = Spec("postmortem", first.when + timedelta(days=rng.randint(2, 20)), 0)
        spec.when = min(spec.when, end - timedelta(hours=1))
        spec.incidents = [first.id]
        if rng.random() < 0.08:
            extra = rng.choice(linkable).id
            if extra != first.id:
                spec.incidents.append(extra)
        spec.status = rng.choices(("draft", "in-review", "published"), (12, 13, 75))[0]
        spec.index = number
        postmortems.append(spec)
    _assign_ids(postmortems, "PM", "postmortems")

    exercises = [
        Spec("exercise", start + timedelta(seconds=rng.randrange(seconds)), i)
        for i in range(counts["exercise"])
    ]
    _assign_ids(exercises, "EX", "exercises")

    for kind, target in broken:
        _break_other(kind, target, postmortems, exercises, rng)
    return incidents + postmortems + exercises


def _assign_ids(specs: list[Spec], prefix: str, folder: str) -> None:
    specs.sort(key=lambda spec: spec.when)
    per_year: Counter[int] = Counter()
    for spec in specs:
        year = spec.when.year
        per_year[year] += 1
        spec.id = f"{prefix}-{year}-{per_year[year]:04d}"
        spec.path = f"{folder}/{year}"


def _choose_broken(
    incidents: list[Spec], records: int, rng: random.Random
) -> list[tuple[str, Spec | None]]:
    """Pick the incidents to break now; others are broken once they exist.

    Broken incidents are never linked from a postmortem, so a postmortem never
    picks up an `unknown-incident` problem from a neighbour's breakage.
    """
    wanted = max(len(BROKEN_KINDS), round(records * 0.01))
    pool = [s for s in incidents if s.status == "resolved"]
    rng.shuffle(pool)
    chosen: list[tuple[str, Spec | None]] = []
    for number in range(wanted):
        kind = BROKEN_KINDS[number % len(BROKEN_KINDS)]
        on_incident = kind == "duplicate-id" or (
            kind != "one-contributing-factor" and number % 2 == 0
        )
        if not on_incident or len(pool) < 3:
            chosen.append((kind, None))
            continue
        spec = pool.pop()
        spec.broken = kind
        if kind == "duplicate-id":
            holder = pool.pop()
            holder.broken = "duplicate-id"
            spec.duplicate_of = holder.id
        chosen.append((kind, spec))
    return chosen


def _break_other(
    kind: str,
    spec: Spec | None,
    postmortems: list[Spec],
    exercises: list[Spec],
    rng: random.Random,
) -> None:
    if spec is not None or kind == "duplicate-id":
        return
    if kind == "missing-field" and rng.random() < 0.3:
        targets = [s for s in exercises if not s.broken]
    else:
        targets = [s for s in postmortems if not s.broken]
    if targets:
        rng.choice(targets).broken = kind


def render(spec: Spec, words: Vocabulary, rng: random.Random) -> None:
    renderers = {
        "incident": render_incident,
        "postmortem": render_postmortem,
        "exercise": render_exercise,
    }
    record = renderers[spec.kind](spec, words, rng)
    title = re.search(r"^title: (.*)$", record, re.M)
    name = slug(title.group(1).strip('"') if title else spec.kind)

    if spec.duplicate_of:
        record = record.replace(f"id: {spec.id}\n", f"id: {spec.duplicate_of}\n", 1)
        spec.id = spec.duplicate_of
    if spec.broken == "broken-yaml":
        record = break_yaml(record)
    spec.path = f"{spec.path}/{spec.id}-{name}.md"
    spec.text = record


def config_text(start: datetime, end: datetime, rng: random.Random) -> str:
    lines = [
        "# pmctl configuration of a generated benchmark repository.",
        "timezone: UTC",
        "severities:",
    ]
    due = {"SEV1": "5", "SEV2": "10", "SEV3": "20", "SEV4": "null"}
    cadence = {"SEV1": 30, "SEV2": 60, "SEV3": 120, "SEV4": 240}
    summary = {"SEV1": "true", "SEV2": "true", "SEV3": "false", "SEV4": "false"}
    for level in SEVERITIES:
        lines += [
            f"  {level}:",
            f"    description: {level} incidents, worst first.",
            "    customer_impact_examples:",
            "      - Checkout failing for a region",
            "      - Delayed notifications",
            "    on_call: Page the owning team; commander assigned at once.",
            f"    status_update_minutes: {cadence[level]}",
            f"    executive_summary: {summary[level]}",
            f"    postmortem_due_days: {due[level]}",
        ]
    lines.append("contributing_factor_categories:")
    lines += [f"  - {category}" for category in CATEGORIES]
    lines.append("teams:")
    lines += [f"  - {team}" for team in TEAMS]
    lines += [
        "actions:",
        "  stale_after_days: 30",
        "  max_open_per_team: 40",
        "recurrence:",
        "  threshold: 3",
        "  window_days: 90",
        "exercises:",
        "  every_days: 182",
        "  scenarios:",
        *(f"    - {scenario}" for scenario in SCENARIOS),
        "deployments:",
    ]
    month = date(start.year, start.month, 1)
    while month <= end.date():
        lines.append(f'  "{month:%Y-%m}": {rng.randint(300, 700)}')
        month = (month + timedelta(days=32)).replace(day=1)
    return "\n".join(lines) + "\n"


README = """# Incident records (generated for pmctl's benchmarks)

Generated by `benchmarks/make_corpus.py`; not real incidents.
"""


def generate(
    target: Path,
    records: int = 10_000,
    seed: int = 1,
    commits: int = 0,
    end_date: date = date(2026, 12, 1),
    years: int = 3,
) -> dict[str, Any]:
    """Write the corpus into `target` (replaced) and return its manifest."""
    rng = FastRandom(seed)
    words = Vocabulary(rng)
    end = datetime(end_date.year, end_date.month, end_date.day, tzinfo=timezone.utc)
    start = end - timedelta(days=round(365.25 * years))

    specs = plan(records, rng, start, end)
    taken: set[str] = set()
    for spec in specs:
        render(spec, words, rng)
        while spec.path in taken:
            spec.path = spec.path.removesuffix(".md") + "-2.md"
        taken.add(spec.path)
    files = {
        "pmctl.yaml": config_text(start, end, rng),
        "README.md": README,
        **{spec.path: spec.text for spec in specs},
    }

    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    write_files(target, files)
    if commits:
        write_history(target, specs, files, commits, start, end, rng)

    key = corpus_key(records, seed, commits, end_date, years)
    return manifest(target, specs, files, key)


def write_files(target: Path, files: dict[str, str]) -> None:
    for path, content in files.items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content.encode("utf-8"))


def manifest(
    target: Path, specs: list[Spec], files: dict[str, str], key: dict[str, Any]
) -> dict[str, Any]:
    change = next(
        s for s in specs if s.kind == "incident" and not s.broken and s.status
    )
    end_date = date.fromisoformat(key["end_date"])
    quarter_end = date(end_date.year, end_date.month, 1) - timedelta(days=1)
    quarter_start = (quarter_end - timedelta(days=85)).replace(day=1)
    sizes = [len(spec.text.encode("utf-8")) for spec in specs]
    fronts = [spec.text.index("\n---\n", 4) for spec in specs]
    return {
        "key": key,
        "records": len(specs),
        "root": str(target),
        "files": len(files),
        "bytes": sum(len(c.encode("utf-8")) for c in files.values()),
        "mean_record_bytes": round(sum(sizes) / len(sizes)),
        "mean_front_matter_bytes": round(sum(fronts) / len(fronts)),
        "kinds": dict(Counter(spec.kind for spec in specs)),
        "broken": {s.path: s.broken for s in specs if s.broken},
        "change_target": change.path,
        "change_target_sha256": hashlib.sha256(change.text.encode()).hexdigest(),
        "report_window": {
            "since": quarter_start.isoformat(),
            "until": quarter_end.isoformat(),
        },
    }


def corpus_key(
    records: int, seed: int, commits: int, end_date: date, years: int
) -> dict[str, Any]:
    """What a corpus is made from: the same key gives the same corpus."""
    return {
        "generator_version": GENERATOR_VERSION,
        "records": records,
        "seed": seed,
        "commits": commits,
        "end_date": end_date.isoformat(),
        "years": years,
    }


def write_history(
    target: Path,
    specs: list[Spec],
    files: dict[str, str],
    commits: int,
    start: datetime,
    end: datetime,
    rng: random.Random,
) -> None:
    """Commit the records over the last year in one `git fast-import` stream.

    The first commit, a year before `end`, imports the older records at once,
    as when a team moves its records into git. The later records then arrive
    in date order, a few per commit; about a third arrive as a draft (front
    matter and summary only) and are finished in a later commit, so files
    differ in how far back their last change lies.
    """
    commits = max(1, min(commits, len(specs)))
    since = max(start, end - timedelta(days=365))
    ordered = sorted(specs, key=lambda spec: spec.when)
    older = [spec for spec in ordered if spec.when < since]
    recent = ordered[len(older) :]
    batches: list[list[tuple[str, str]]] = [[] for _ in range(commits)]
    batches[0] += [(p, files[p]) for p in ("pmctl.yaml", "README.md")]
    batches[0] += [(spec.path, spec.text) for spec in older]
    newest = [int(since.timestamp())] * commits
    for number, spec in enumerate(recent):
        first = 1 + number * (commits - 1) // len(recent) if commits > 1 else 0
        newest[first] = max(newest[first], int(spec.when.timestamp()))
        if rng.random() < 0.33 and first + 1 < commits:
            draft = spec.text.split("\n## ", 2)
            batches[first].append((spec.path, "\n## ".join(draft[:2]) + "\n"))
            later = min(commits - 1, first + rng.randint(1, 60))
            batches[later].append((spec.path, spec.text))
        else:
            batches[first].append((spec.path, spec.text))

    # A commit lands a little after the newest record it adds, never before
    # the previous commit.
    dates: list[int] = []
    latest = int(end.timestamp()) - commits
    for when in newest:
        moment = min(when + rng.randint(60, 6 * 3600), latest)
        dates.append(max(moment, dates[-1] + 1) if dates else moment)
    authors = [f"{f} {name}" for f in FIRST_NAMES[:8] for name in LAST_NAMES[:3]]

    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    importer = subprocess.Popen(
        ["git", "-C", str(target), "fast-import", "--quiet"],
        stdin=subprocess.PIPE,
    )
    assert importer.stdin is not None
    for number, (batch, when) in enumerate(zip(batches, dates, strict=True)):
        importer.stdin.write(
            _commit(number, batch, when, rng.choice(authors), len(batch))
        )
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")

    # The working tree already holds the final files: only the index is missing.
    subprocess.run(["git", "-C", str(target), "read-tree", "HEAD"], check=True)
    subprocess.run(
        ["git", "-C", str(target), "update-index", "-q", "--refresh"], check=False
    )


def _commit(
    number: int, batch: list[tuple[str, str]], when: int, author: str, size: int
) -> bytes:
    email = author.lower().replace(" ", ".") + "@example.com"
    message = f"Record updates ({size} files)\n".encode()
    parts = [
        b"commit refs/heads/main\n",
        f"mark :{number + 1}\n".encode(),
        f"author {author} <{email}> {when} +0000\n".encode(),
        f"committer {author} <{email}> {when} +0000\n".encode(),
        f"data {len(message)}\n".encode() + message,
    ]
    if number:
        parts.append(f"from :{number}\n".encode())
    for path, content in batch:
        data = content.encode("utf-8")
        parts.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode())
        parts.append(data + b"\n")
    return b"".join(parts)


def pmctl_command() -> list[str]:
    """The installed `pmctl` script of this interpreter, else `python -m pmctl`."""
    script = Path(sys.executable).parent / "pmctl"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "pmctl"]


def check(target: Path, manifest_data: dict[str, Any]) -> list[str]:
    """Run `pmctl validate`; return how its problems differ from the plan."""
    found = subprocess.run(
        [*pmctl_command(), "validate", "--root", str(target), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode not in (0, 1):
        return [f"pmctl validate exited {found.returncode}: {found.stderr.strip()}"]
    return compare(json.loads(found.stdout), manifest_data)


def compare(result: dict[str, Any], manifest_data: dict[str, Any]) -> list[str]:
    """Differences between a `validate --format json` result and the plan."""
    broken: dict[str, str] = manifest_data["broken"]
    rules: dict[str, set[str]] = {}
    for problem in result["problems"]:
        rules.setdefault(problem["path"], set()).add(problem["rule"])

    differences = [
        f"unexpected problem in {path}: {', '.join(sorted(found))}"
        for path, found in sorted(rules.items())
        if path not in broken
    ]
    for path, kind in sorted(broken.items()):
        if not rules.get(path, set()) & BROKEN_RULES[kind]:
            reported = ", ".join(sorted(rules.get(path, ()))) or "nothing"
            differences.append(
                f"{path} is broken ({kind}) but pmctl reported {reported}"
            )
    if result["checked"] != manifest_data["records"]:
        differences.append(
            f"pmctl checked {result['checked']} records, "
            f"the corpus has {manifest_data['records']}"
        )
    return differences


def manifest_path(target: Path) -> Path:
    return target.with_name(target.name + ".json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="folder to create (replaced)")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commits", type=int, default=0, help="git history length")
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=date(2026, 12, 1),
        help="the newest records and commits fall just before this date",
    )
    parser.add_argument(
        "--years", type=int, default=3, help="records span this many years"
    )
    parser.add_argument(
        "--check", action="store_true", help="run pmctl validate against the plan"
    )
    args = parser.parse_args(argv)
    if args.records < 50:
        parser.error("--records must be at least 50")

    began = time.perf_counter()
    data = generate(
        args.target, args.records, args.seed, args.commits, args.end_date, args.years
    )
    manifest_path(args.target).write_text(json.dumps(data, indent=2) + "\n")
    print(
        f"wrote {data['files']} files ({data['bytes'] / 1e6:.1f} MB, "
        f"{len(data['broken'])} broken on purpose, {args.commits} commits) "
        f"to {args.target} in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    if not args.check:
        return 0

    differences = check(args.target, data)
    for line in differences:
        print(line, file=sys.stderr)
    print("check: " + ("FAILED" if differences else "ok"), file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
