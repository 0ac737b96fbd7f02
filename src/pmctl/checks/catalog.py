"""Every rule name pmctl can report, with a short description and help text.

Rule names are a contract: CI annotations, SARIF results and scripts key on
them. The catalogue is the one place that says what each rule means; SARIF
carries it as rule metadata and the documentation lists it. A test scans the
code for rule names, so a new rule cannot be reported without an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Group = Literal["file", "schema", "record", "repository", "lint"]
# The level a rule reports at by default; `note` is a lint suggestion.
Level = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class RuleInfo:
    """What a rule checks (`summary`, one line) and how to fix it (`help`)."""

    name: str
    group: Group
    summary: str
    help: str
    severity: Level = "error"


def _rules(*infos: RuleInfo) -> dict[str, RuleInfo]:
    return {info.name: info for info in infos}


def _file(name: str, summary: str, help: str) -> RuleInfo:
    return RuleInfo(name, "file", summary, help)


def _schema(name: str, summary: str, help: str) -> RuleInfo:
    return RuleInfo(name, "schema", summary, help)


_FILE_RULES = (
    _file(
        "unreadable",
        "The file cannot be read.",
        "pmctl could not read the file: a dangling or looping symbolic link, a "
        "folder or device where a record is expected, or missing read permission. "
        "Replace the link with the file or fix its permissions.",
    ),
    _file(
        "file-too-large",
        "The file is larger than a record may be.",
        "A record is a small text file (at most 4 MB). Move logs and attachments "
        "elsewhere and link to them from the record.",
    ),
    _file(
        "encoding",
        "The file is not UTF-8 text.",
        "Records are UTF-8 (a byte-order mark is accepted). Save the file as "
        "UTF-8 in your editor.",
    ),
    _file(
        "empty-file",
        "The file is empty.",
        "A record starts with YAML front matter between two `---` lines. Create "
        "records with `pmctl new` to start from a template.",
    ),
    _file(
        "conflict-markers",
        "The file holds unresolved git merge conflict markers.",
        "Resolve the merge conflict: keep the right lines and delete the "
        "`<<<<<<<`, `=======` and `>>>>>>>` marker lines.",
    ),
    _file(
        "no-front-matter",
        "The file does not start with YAML front matter.",
        "The first line of a record must be `---`, followed by the YAML front "
        "matter and another `---` line; the Markdown body comes after.",
    ),
    _file(
        "unterminated-front-matter",
        "The front matter is never closed.",
        "Add a `---` line after the last field of the front matter, before the "
        "Markdown body.",
    ),
    _file(
        "front-matter-not-mapping",
        "The front matter is not a mapping of fields.",
        "The front matter must be `field: value` lines (a YAML mapping), not a "
        "list or a single value.",
    ),
    _file(
        "yaml-syntax",
        "The front matter is not valid YAML.",
        "Fix the YAML at the line given: common causes are a missing space after "
        "`:`, wrong indentation, or a value with `: ` or `#` that needs quotes.",
    ),
    _file(
        "duplicate-key",
        "A key appears twice in the same mapping.",
        "YAML would silently keep only the last value; pmctl refuses instead. "
        "Keep one of the two keys.",
    ),
    _file(
        "yaml-alias",
        "The front matter uses YAML anchors or aliases.",
        "Anchors (`&name`) and aliases (`*name`) are not allowed in records: "
        "write the value out in full where it is used.",
    ),
    _file(
        "yaml-tag",
        "The front matter uses a YAML tag.",
        "Records hold plain data only: text, numbers, booleans, lists and "
        "mappings. Remove the `!tag` and write the value as plain data.",
    ),
    _file(
        "yaml-key",
        "A mapping key is not text.",
        "Keys must be text: quote keys such as `1` or `true`, and do not use "
        "lists or mappings as keys.",
    ),
    _file(
        "not-a-record",
        "A file in a records folder is not a Markdown record.",
        "Only Markdown records (`.md`) belong in the incidents, postmortems and "
        "exercises folders. Rename the file or move it out of the folder.",
    ),
)

_SCHEMA_RULES = (
    _schema(
        "unknown-kind",
        "The record's `kind` is not incident, postmortem or exercise.",
        "Set `kind` to `incident`, `postmortem` or `exercise`.",
    ),
    _schema(
        "missing-field",
        "A required field is missing.",
        "Add the field named in the message; `pmctl new` writes every required "
        "field for you.",
    ),
    _schema(
        "wrong-type",
        "A field has the wrong type.",
        "Give the field the type the message names: text, a number, true or "
        "false, a list or a mapping. `yes` and `no` are text: write true or false.",
    ),
    _schema(
        "invalid-value",
        "A field's value is not one of the allowed values.",
        "Use one of the values listed in the message.",
    ),
    _schema(
        "invalid-format",
        "A value does not have the expected form.",
        "Write the value in the form the message describes.",
    ),
    _schema(
        "too-few-items",
        "A list or mapping has too few entries.",
        "Add entries until there are at least as many as the message asks for.",
    ),
    _schema(
        "out-of-range",
        "A number is out of range.",
        "Use a number within the range the message gives (counts are never negative).",
    ),
    _schema(
        "missing-item",
        "A list lacks a required kind of entry.",
        "Add an entry of the kind the message describes.",
    ),
    _schema(
        "duplicate-item",
        "A list repeats an entry.",
        "Remove the repeated entry.",
    ),
    _schema(
        "unknown-field",
        "The record has a field the format does not define.",
        "Check the field name for typos; remove fields the record format does "
        "not know.",
    ),
    _schema(
        "schema",
        "The record breaks its JSON schema.",
        "Fix the value at the field given, as the message describes.",
    ),
    _schema(
        "single-commander",
        "An incident must have exactly one incident commander.",
        "Set `commander` to one person's name, as text: a list of names is an "
        "error, because one person leads the response.",
    ),
    _schema(
        "impact-fields",
        "The impact is missing or incomplete.",
        "An incident's `impact` is a mapping with `summary`, `customer_facing` "
        "and `slo_breached`; a postmortem's `impact` describes the user-visible "
        "impact in words.",
    ),
    _schema(
        "link-fields",
        "A link lacks its `kind` or `url`.",
        "Give every entry of `links` a `kind` (dashboard, logs, runbook, chat, "
        "ticket, other) and a `url`.",
    ),
    _schema(
        "link-url",
        "A link's `url` is not an absolute URL.",
        "Write the full URL, with its scheme, such as "
        "https://grafana.example.com/d/abc.",
    ),
    _schema(
        "required-when-mitigated",
        "A mitigated or resolved incident lacks a required field.",
        "Once an incident is `mitigated` or `resolved`, record `communicated_at`, "
        "`mitigated_at` and `mitigation` (what stopped the impact).",
    ),
    _schema(
        "required-when-resolved",
        "A resolved incident lacks a required field.",
        "Once an incident is `resolved`, record `resolved_at`, `change_induced`, "
        "the `timeline` and the `links` to the evidence.",
    ),
    _schema(
        "decision-point-required",
        "A resolved incident's timeline records no decision.",
        "Add at least one timeline entry of kind `decision`: the moment the "
        "response chose its course (roll back, fail over, wait).",
    ),
    _schema(
        "evidence-link-required",
        "A resolved incident links to no logs or dashboard.",
        "Add at least one link of kind `logs` or `dashboard`, so the evidence "
        "can be found later.",
    ),
    _schema(
        "id-format",
        "An id does not have the form of its kind.",
        "Ids look like INC-2026-0042, PM-2026-0042 or EX-2026-0042: the prefix "
        "of the kind, the year and at least four digits.",
    ),
    _schema(
        "min-timeline-entries",
        "A postmortem's timeline has fewer than three entries.",
        "Give the postmortem a timeline of at least three entries: detection, "
        "the decisions made, and mitigation.",
    ),
    _schema(
        "min-contributing-factors",
        "A postmortem lists fewer than two contributing factors.",
        "Incidents rarely have a single cause: list at least two contributing "
        "factors, each with a category and a description.",
    ),
    _schema(
        "contributing-factor-fields",
        "A contributing factor lacks its category or description.",
        "Give every contributing factor a `category` from the configured "
        "taxonomy and a `description`.",
    ),
    _schema(
        "systemic-action-required",
        "A postmortem has no systemic action item.",
        "Add at least one action item with `systemic: true`: a fix that removes "
        "a class of failure, not only this one defect.",
    ),
    _schema(
        "required-when-published",
        "A published postmortem lacks a required field.",
        "Once a postmortem is `published`, record `reviewed_on`: the date of its "
        "review.",
    ),
    _schema(
        "empty-value",
        "A text field is empty.",
        "Write the text, or remove an optional field instead of leaving it blank.",
    ),
    _schema(
        "timestamp-format",
        "A timestamp is not RFC 3339 with an explicit offset.",
        'Write timestamps quoted, with an offset, e.g. "2026-11-03T14:09:00Z" or '
        '"2026-11-03T15:09:00+01:00"; a time without an offset is never guessed.',
    ),
    _schema(
        "date-format",
        "A date is not written as YYYY-MM-DD.",
        'Write dates quoted as YYYY-MM-DD, e.g. "2026-11-30".',
    ),
    _schema(
        "timeline-entry-fields",
        "A timeline entry lacks `at`, `kind` or `text`.",
        "Give every timeline entry a timestamp `at`, a `kind` and a `text`.",
    ),
    _schema(
        "action-item-fields",
        "An action item lacks a required field.",
        "Give every action item an id, title, owner, team, due date, status, "
        "systemic flag and acceptance criterion.",
    ),
    _schema(
        "action-id-format",
        "An action id is not A1, A2, ...",
        "Number action items A1, A2, ... within their record.",
    ),
    _schema(
        "single-owner",
        "An action item must have exactly one owner.",
        "Set `owner` to one person's name, as text: shared ownership is no ownership.",
    ),
    _schema(
        "single-acceptance-criterion",
        "An action item needs one measurable acceptance criterion.",
        "Set `acceptance` to one measurable criterion, as text (not a list).",
    ),
    _schema(
        "closed-on-required",
        "A done or abandoned action item has no `closed_on` date.",
        "Record `closed_on` when an action item becomes `done` or `wont-do`.",
    ),
    _schema(
        "unknown-setting",
        "pmctl.yaml has a setting pmctl does not know.",
        "Check the setting's name for typos; `pmctl init` writes every setting "
        "with its default.",
    ),
)

_RECORD_RULES = (
    RuleInfo(
        "invalid-timestamp",
        "record",
        "A timestamp has the right form but is not a real time.",
        "Check the day, month and hour: 2026-02-30 or 25:00 do not exist.",
    ),
    RuleInfo(
        "invalid-date",
        "record",
        "A date has the right form but is not a real day.",
        "Check the day and month: 2026-02-30 does not exist.",
    ),
    RuleInfo(
        "timestamp-order",
        "record",
        "An incident's timestamps are out of order.",
        "Impact starts, then is detected, communicated, mitigated and resolved: "
        "each timestamp must not come before the one it follows.",
    ),
    RuleInfo(
        "timeline-order",
        "record",
        "Timeline entries are not in chronological order.",
        "Order the timeline by `at`, earliest first.",
    ),
    RuleInfo(
        "unknown-severity",
        "record",
        "The severity is not configured.",
        "Use one of the severities defined under `severities` in pmctl.yaml, or "
        "add the level there.",
    ),
    RuleInfo(
        "unknown-category",
        "record",
        "A contributing-factor category is not configured.",
        "Use a category from `contributing_factor_categories` in pmctl.yaml, or "
        "add it there.",
    ),
    RuleInfo(
        "unknown-team",
        "record",
        "A team is not in the configured allow-list.",
        "Use a team listed under `teams` in pmctl.yaml, or add it there.",
    ),
    RuleInfo(
        "unknown-scenario",
        "record",
        "An exercise scenario is not configured.",
        "Use a scenario from `exercises.scenarios` in pmctl.yaml, or add it there.",
    ),
    RuleInfo(
        "duplicate-action-id",
        "record",
        "Two action items in one record share an id.",
        "Give each action item its own id (A1, A2, ...): other records and "
        "`pmctl actions` refer to them by it.",
    ),
    RuleInfo(
        "closed-on-while-open",
        "record",
        "An open action item has a `closed_on` date.",
        "Remove `closed_on`, or set the status to `done` or `wont-do`.",
        "warning",
    ),
    RuleInfo(
        "filename-mismatch",
        "record",
        "The file name does not start with the record's id.",
        "Rename the file to start with its id (`INC-2026-0042-short-title.md`), "
        "so the id shows in listings and clashes show up in review.",
        "warning",
    ),
)

_REPOSITORY_RULES = (
    RuleInfo(
        "duplicate-id",
        "repository",
        "Two records share an id.",
        "Ids are unique across the repository; this often happens when two "
        "branches take the same next id. Renumber the newer record to the next "
        "free id the message names.",
    ),
    RuleInfo(
        "unknown-incident",
        "repository",
        "A postmortem refers to an incident that does not exist.",
        "Check the incident id, or add the incident record before its postmortem.",
    ),
)


def _lint_rules() -> tuple[RuleInfo, ...]:
    """The built-in blameless-language rules, described by the lint rule set.

    A team's own lint rules (from pmctl.yaml) are not here: `rule_info` gives
    them a plain entry.
    """
    from pmctl.lint.rules import BUILTIN_RULES, DIRECTIVE_RULE

    levels: dict[str, Level] = {"error": "error", "warning": "warning"}
    described = tuple(
        RuleInfo(
            rule.name,
            "lint",
            f"Wording that {rule.summary}.",
            f"{rule.suggestion[:1].upper()}{rule.suggestion[1:]}.",
            levels.get(rule.level, "note"),
        )
        for rule in BUILTIN_RULES
    )
    directive = RuleInfo(
        DIRECTIVE_RULE,
        "lint",
        "A pmctl-lint comment is malformed or names an unknown rule.",
        "Write `<!-- pmctl-lint disable-next-line RULE -->` (or disable-line, "
        "disable, enable) with the names of lint rules.",
        "warning",
    )
    return (*described, directive)


RULES: dict[str, RuleInfo] = _rules(
    *_FILE_RULES, *_SCHEMA_RULES, *_RECORD_RULES, *_REPOSITORY_RULES, *_lint_rules()
)


def rule_info(name: str) -> RuleInfo:
    """The catalogue entry for a rule; a plain one for a name it lacks."""
    known = RULES.get(name)
    if known is not None:
        return known
    return RuleInfo(name, "lint", f"Rule `{name}`.", f"See rule `{name}`.")
