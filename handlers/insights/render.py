"""Fairness in words, for admins and community managers only (never a channel)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.kit.i18n import format_date, format_list, format_number
from bot.kit.tallies import department_label
from handlers.insights.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from handlers.insights.fairness import FairnessReport, GroupRecognition

FAIRNESS_HELP = N_(
    "`/rapport fairness [weeks]` (admins and community managers): who gives and receives "
    "kudos across departments and roles over the last 4 weeks (or 1–26), and groups that "
    "trade kudos back and forth. Only you see it; the read is written to the audit log."
)
# Role names the report groups by (departments are as the directory has them).
GROUP_NAMES = {
    "admin": N_("admin"),
    "hr": N_("HR"),
    "community_manager": N_("community manager"),
    "manager": N_("manager"),
    "member": N_("member"),
}


def group_name(group: str) -> str:
    return str(GROUP_NAMES[group]) if group in GROUP_NAMES else department_label(group)


def _group(g: "GroupRecognition") -> str:
    shown = _("{group}: {received} received, {given} given, {index}× a fair share").format(
        group=group_name(g.group),
        received=format_number(g.received),
        given=format_number(g.given),
        index=format_number(round(g.index, 1)),
    )
    return _("{group} ⚠ under-recognised").format(group=shown) if g.under_recognised else shown


def _groups(groups: "list[GroupRecognition]") -> str:
    parts = [_group(g) for g in sorted(groups, key=lambda g: (g.index, g.group))]
    return "\n".join(f"• {part}" for part in parts) or _("• nobody yet")


def _ring(names: Sequence[str], within: int, given: int) -> str:
    return ngettext(
        "• {names}: {within} of their {count} kudos went to each other",
        "• {names}: {within} of their {count} kudos went to each other",
        given,
    ).format(names=format_list(names), within=format_number(within), count=format_number(given))


def fairness(report: "FairnessReport", weeks: int) -> str:
    heading = ngettext(
        "*Recognition fairness*, {start} to {end} ({weeks} week, {kudos} kudos)",
        "*Recognition fairness*, {start} to {end} ({weeks} weeks, {kudos} kudos)",
        weeks,
    ).format(
        start=format_date(report.start.date()),
        end=format_date(report.end.date()),
        weeks=format_number(weeks),
        kudos=format_number(report.kudos),
    )
    if not report.kudos:
        return heading + "\n" + _("No kudos in this window, so nothing to compare.")
    lines = [heading, _("*By department* (received against its share of people):")]
    lines += [_groups(report.by_department), _("*By role:*"), _groups(report.by_role)]
    flows = sorted(report.flows.items(), key=lambda item: (-item[1], item[0]))[:5]
    crossing = [
        f"{group_name(a)} → {group_name(b)}: {format_number(n)}" for (a, b), n in flows if a != b
    ]
    if crossing:
        lines.append(
            _("*Kudos between departments* (largest): {flows}").format(flows="; ".join(crossing))
        )
    if report.rings:
        lines.append(_("*Groups trading kudos back and forth:*"))
        lines += [_ring(ring.names, ring.kudos_within, ring.kudos_given) for ring in report.rings]
    else:
        lines.append(_("No groups trading kudos back and forth."))
    return "\n".join(lines)
