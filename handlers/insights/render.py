"""Fairness in words, for admins and community managers only (never a channel)."""

from typing import TYPE_CHECKING

from bot.kit.wording import counted

if TYPE_CHECKING:
    from handlers.insights.fairness import FairnessReport, GroupRecognition

FAIRNESS_HELP = (
    "`/rapport fairness [weeks]` (admins and community managers): who gives and receives "
    "kudos across departments and roles over the last 4 weeks (or 1–26), and groups that "
    "trade kudos back and forth. Only you see it; the read is written to the audit log."
)


def _groups(groups: "list[GroupRecognition]") -> str:
    parts = [
        f"{g.group}: {g.received} received, {g.given} given, {g.index:.1f}× a fair share"
        + (" ⚠ under-recognised" if g.under_recognised else "")
        for g in sorted(groups, key=lambda g: (g.index, g.group))
    ]
    return "\n".join(f"• {part}" for part in parts) or "• nobody yet"


def fairness(report: "FairnessReport", weeks: int) -> str:
    days = f"{report.start:%Y-%m-%d} to {report.end:%Y-%m-%d}"
    lines = [f"*Recognition fairness*, {days} ({counted(weeks, 'week')}, {report.kudos} kudos)"]
    if not report.kudos:
        return lines[0] + "\nNo kudos in this window, so nothing to compare."
    lines += ["*By department* (received against its share of people):"]
    lines += [_groups(report.by_department), "*By role:*", _groups(report.by_role)]
    flows = sorted(report.flows.items(), key=lambda item: (-item[1], item[0]))[:5]
    crossing = [f"{a} → {b}: {n}" for (a, b), n in flows if a != b]
    if crossing:
        lines.append("*Kudos between departments* (largest): " + "; ".join(crossing))
    if report.rings:
        lines.append("*Groups trading kudos back and forth:*")
        lines += [
            f"• {', '.join(ring.names)}: {ring.kudos_within} of their {ring.kudos_given} "
            f"kudos went to each other"
            for ring in report.rings
        ]
    else:
        lines.append("No groups trading kudos back and forth.")
    return "\n".join(lines)
