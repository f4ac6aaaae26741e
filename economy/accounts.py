"""The ekonomisystem's Excel export: account rows → table rows. Pure, no Django.

The export is one sheet with a header row (Konto, Verksamhet, Utfall, Utfall föregående år,
Budget, Prognos …, named by the mapping) and one row per account (and verksamhet). Columns are
found by their headers, so their order does not matter. Repeated header rows (page breaks) and
the export's own sum rows (no account, a label such as "Summa intäkter") are skipped: the
tables compute their own sums. Every problem carries its sheet and cell, in Swedish; an
account that no rule knows is an error, never silently dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.utils import get_column_letter

from solna_sn.lib.numbers import NumberFormatError, parse_number
from solna_sn.lib.xlsx import UNCACHED_FORMULA_MESSAGE

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Problem:
    sheet: str
    ref: str
    message: str

    def __str__(self) -> str:
        if self.ref:
            return f"{self.sheet}!{self.ref}: {self.message}"
        return self.message


@dataclass(frozen=True)
class Layout:
    """Which headers hold what. `figures` maps a figure name (economy.tables.Figure values)
    to its column header."""

    account: str
    figures: dict[str, str]
    activity: str = ""
    sheet_name: str = ""


@dataclass(frozen=True)
class AccountLine:
    sheet: str
    row: int
    account: int
    activity: str
    amounts: dict[str, Decimal]

    @property
    def ref(self) -> str:
        return f"A{self.row}"


@dataclass
class ParsedExport:
    lines: list[AccountLine] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0
    sheet: str = ""


def normalize_header(text) -> str:
    """Compare headers loosely: case, spacing and line-break hyphens ("Budget- avvikelse")."""
    cleaned = " ".join(str(text or "").split()).casefold()
    return re.sub(r"(?<=\w)- (?=\w)", "", cleaned)


def _letter(index: int) -> str:

    return get_column_letter(index + 1)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _account(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = _text(value).replace(" ", "")
    return int(text) if text.isdigit() and len(text) <= 9 else None


def parse_export(checked, layout: Layout, needed: set[str]) -> ParsedExport:
    """Read the account rows of a workbook loaded with solna_sn.lib.xlsx.load_workbook_checked.
    `needed` are the figures the target tables take; their columns must be present."""
    result = ParsedExport()
    workbook = checked.workbook
    if layout.sheet_name:
        if layout.sheet_name not in workbook.sheetnames:
            result.errors.append(
                Problem("", "", f"Filen har inget blad som heter ”{layout.sheet_name}”.")
            )
            return result
        sheet = workbook[layout.sheet_name]
    else:
        sheet = workbook.worksheets[0]
    result.sheet = title = sheet.title
    wanted = {"account": layout.account, **{name: layout.figures[name] for name in needed}}
    if layout.activity:
        wanted["activity"] = layout.activity
    rows = sheet.iter_rows(values_only=True)
    header_row = 0
    positions: dict[str, int] = {}
    account_key = normalize_header(layout.account)
    for number, values in enumerate(rows, start=1):
        headers = [normalize_header(v) for v in values]
        if account_key in headers:
            header_row = number
            seen = Counter(h for h in headers if h)
            for key, header in wanted.items():
                normalized = normalize_header(header)
                if seen[normalized] > 1:
                    result.errors.append(
                        Problem(
                            title,
                            f"{number}",
                            f"Kolumnen ”{header}” finns flera gånger på rubrikraden; ta bort "
                            "den som inte ska läsas in.",
                        )
                    )
                elif normalized in headers:
                    positions[key] = headers.index(normalized)
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_row:
        result.errors.append(
            Problem(
                title,
                "",
                f"Hittar ingen rubrikrad med ”{layout.account}” bland de första "
                f"{HEADER_SEARCH_ROWS} raderna. Är det rätt fil och rätt kontokoppling?",
            )
        )
        return result
    missing = [header for key, header in wanted.items() if key not in positions]
    for header in missing:
        result.errors.append(
            Problem(
                title,
                f"{header_row}",
                f"Kolumnen ”{header}” saknas på rubrikraden (rad {header_row}).",
            )
        )
    if missing or result.errors:
        return result
    account_at = positions["account"]
    activity_at = positions.get("activity")
    figure_at = {name: positions[name] for name in needed}
    for number, values in enumerate(rows, start=header_row + 1):
        values = list(values)
        if not any(_text(v) for v in values):
            continue
        width = len(values)
        raw_account = values[account_at] if account_at < width else None
        if normalize_header(raw_account) == account_key:
            result.skipped_rows += 1  # a header repeated at a page break
            continue
        account_text = _text(raw_account)
        if not account_text:
            if any(isinstance(v, str) and v.strip() for v in values):
                result.skipped_rows += 1  # the export's own sum or label row
                continue
            result.errors.append(
                Problem(
                    title, f"{_letter(account_at)}{number}", "Raden har belopp men inget konto."
                )
            )
            continue
        account = _account(raw_account)
        if account is None:
            result.errors.append(
                Problem(
                    title,
                    f"{_letter(account_at)}{number}",
                    f"”{account_text}” är inget kontonummer (skriv siffror, till exempel 3110).",
                )
            )
            continue
        activity = ""
        if activity_at is not None:
            activity = _text(values[activity_at] if activity_at < width else None)
        amounts: dict[str, Decimal] = {}
        ok = True
        for name, index in figure_at.items():
            ref = f"{_letter(index)}{number}"
            raw = values[index] if index < width else None
            if checked.is_uncached_formula(title, ref):
                result.errors.append(Problem(title, ref, UNCACHED_FORMULA_MESSAGE))
                ok = False
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                amounts[name] = Decimal(0)  # no transactions on the account
                continue
            try:
                amounts[name] = parse_number(raw)
            except NumberFormatError as error:
                result.errors.append(Problem(title, ref, str(error)))
                ok = False
        if ok:
            result.lines.append(AccountLine(title, number, account, activity, amounts))
    return result


# --- Mapping accounts to table rows -------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    account_from: int
    account_to: int
    activity: str = ""
    target: tuple[str, str] | None = None  # (row set code, row code); None: not imported

    @property
    def accounts_text(self) -> str:
        span = (
            str(self.account_from)
            if self.account_from == self.account_to
            else f"{self.account_from}–{self.account_to}"
        )
        return f"konto {span}" + (f", verksamhet {self.activity}" if self.activity else "")

    def matches(self, line: AccountLine) -> bool:
        return self.account_from <= line.account <= self.account_to and (
            not self.activity or self.activity == line.activity
        )


@dataclass
class Aggregate:
    totals: dict[tuple[str, str], dict[str, Decimal]] = field(default_factory=dict)
    lines: Counter = field(default_factory=Counter)
    errors: list[Problem] = field(default_factory=list)
    ignored: int = 0


def aggregate(
    lines: list[AccountLine],
    rules: list[Rule],
    *,
    rowsets: set[str],
    divisor: Decimal,
    places: int = 6,
    labels: dict[tuple[str, str], str] | None = None,
    rowset_titles: dict[str, str] | None = None,
) -> Aggregate:
    """Sum the account lines per table row of the `rowsets` being imported, in the tables'
    unit (amounts ÷ `divisor`, rounded half up to `places` decimals). Each line goes to at
    most one row per row set; a rule for one verksamhet wins over a rule for all. An account
    no rule knows is an error at its cell; so is a row of the imported row sets that gets no
    account at all (it would otherwise keep an old figure or silently become 0), and an
    account inside the range a row set's rules span that none of them takes (a gap in the
    mapping would otherwise drop it from that table while another table counts it)."""
    labels = labels or {}
    rowset_titles = rowset_titles or {}
    result = Aggregate()
    spans: dict[str, tuple[int, int]] = {}
    for rule in rules:
        if rule.target is not None and rule.target[0] in rowsets:
            low, high = spans.get(rule.target[0], (rule.account_from, rule.account_to))
            spans[rule.target[0]] = (min(low, rule.account_from), max(high, rule.account_to))
    sums: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    quantum = Decimal(1).scaleb(-places)
    for line in lines:
        matching = [rule for rule in rules if rule.matches(line)]
        if not matching:
            activity = f" (verksamhet {line.activity})" if line.activity else ""
            result.errors.append(
                Problem(
                    line.sheet,
                    line.ref,
                    f"Konto {line.account}{activity} finns inte i kontokopplingen. Lägg till en "
                    "regel för kontot (eller markera att det inte ingår) och läs in filen igen.",
                )
            )
            continue
        targeted = [rule for rule in matching if rule.target is not None]
        if not targeted:
            result.ignored += 1
            continue
        by_rowset: dict[str, list[Rule]] = defaultdict(list)
        for rule in targeted:
            by_rowset[rule.target[0]].append(rule)
        if len(targeted) == len(matching):  # not ignored on purpose
            for rowset, (low, high) in sorted(spans.items()):
                if low <= line.account <= high and rowset not in by_rowset:
                    activity = f" (verksamhet {line.activity})" if line.activity else ""
                    result.errors.append(
                        Problem(
                            line.sheet,
                            line.ref,
                            f"Konto {line.account}{activity} ligger bland kontona för "
                            f"”{rowset_titles.get(rowset, rowset)}” men hör inte till någon "
                            "rad där. Lägg till en regel för kontot i kontokopplingen.",
                        )
                    )
        for rowset, candidates in by_rowset.items():
            if rowset not in rowsets:
                continue
            specific = [rule for rule in candidates if rule.activity] or candidates
            targets = {rule.target for rule in specific}
            if len(targets) > 1:
                names = " och ".join(
                    f"”{labels.get(target, target[1])}”" for target in sorted(targets)
                )
                result.errors.append(
                    Problem(
                        line.sheet,
                        line.ref,
                        f"Konto {line.account} passar flera regler i kontokopplingen ({names}). "
                        "Rätta reglerna så att kontot hör till en rad.",
                    )
                )
                continue
            target = specific[0].target
            result.lines[target] += 1
            for name, amount in line.amounts.items():
                sums[target][name] += amount
    expected: dict[tuple[str, str], list[Rule]] = defaultdict(list)
    for rule in rules:
        if rule.target is not None and rule.target[0] in rowsets:
            expected[rule.target].append(rule)
    for target, target_rules in expected.items():
        if not result.lines[target]:
            accounts = "; ".join(rule.accounts_text for rule in target_rules)
            result.errors.append(
                Problem(
                    "",
                    "",
                    f"Filen har inga konton för raden ”{labels.get(target, target[1])}” "
                    f"({accounts}). Ta med kontona, med 0 om raden ska vara noll.",
                )
            )
    result.totals = {
        target: {
            name: (amount / divisor).quantize(quantum, rounding=ROUND_HALF_UP)
            for name, amount in figures.items()
        }
        for target, figures in sums.items()
    }
    return result
