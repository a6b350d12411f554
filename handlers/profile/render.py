"""The settings form and the summary of someone's settings, as neutral bot.contract.ui."""

from datetime import date

from bot.contract.ui import Context, Form, Input, Message, Section
from bot.kit.hours_text import DAY_NAMES
from bot.kit.preferences import DATE_STYLES, PersonalSettings, personal_settings
from bot.models import Person
from handlers.profile.i18n import _
from handlers.profile.rules import NUDGES

FORM_ID = "profile.settings"
_EXAMPLE_DAY = date(2026, 12, 31)


def settings_form(person: Person) -> Form:
    """Five inputs, all a Discord modal holds: the time zone and date format share one."""
    chosen = personal_settings(person)
    styles = ", ".join(
        f"{name} {_EXAMPLE_DAY.strftime(shape)}" for name, shape in DATE_STYLES.items()
    )
    return Form(
        form_id=FORM_ID,
        title=_("Your settings"),
        submit_label=_("Save"),
        inputs=[
            Input(
                name="timezone",
                label=_("Time zone and date format"),
                initial=f"{person.timezone} {chosen.date_style}",
                placeholder=f"Europe/London en-GB ({styles})",  # not translated: typed so
                max_length=80,
            ),
            Input(
                name="hours",
                label=_("Working hours and days (empty: any time)"),
                required=False,
                initial=_working_text(chosen),
                placeholder="09:00-17:00 mon-fri",  # not translated: typed as it is
                max_length=60,
            ),
            Input(
                name="quiet",
                label=_("Quiet hours: nothing scheduled reaches you"),
                required=False,
                initial=chosen.quiet_hours.describe() if chosen.quiet_hours else "",
                placeholder="22:00-07:00",
                max_length=20,
            ),
            Input(
                name="nudges",
                # Translators: "all" and "none" are typed as they are, in every language.
                label=_("Nudges to receive (all, none or a list)"),
                required=False,
                initial=_received_text(chosen),
                placeholder=", ".join(NUDGES),
                max_length=200,
            ),
            Input(
                name="pause",
                label=_("Pause all nudges until (a date, or empty)"),
                required=False,
                initial=chosen.format_date(chosen.paused_until) if chosen.paused_until else "",
                placeholder=chosen.format_date(_EXAMPLE_DAY),
                max_length=20,
            ),
        ],
    )


def summary(person: Person, today: date) -> Message:
    chosen = personal_settings(person)
    paused = chosen.paused_until is not None and chosen.paused_until > today
    quiet = chosen.quiet_hours.describe() if chosen.quiet_hours else _("none")
    until = (
        chosen.format_date(chosen.paused_until)
        if paused and chosen.paused_until
        else _("not paused")
    )
    fields = [
        _("*Time zone:* {zone}").format(zone=person.timezone),
        _("*Dates:* {example} ({style})").format(
            example=chosen.format_date(_EXAMPLE_DAY), style=chosen.date_style
        ),
        _("*Working hours:* {hours}").format(hours=_working_text(chosen) or _("any time")),
        _("*Quiet hours:* {hours}").format(hours=quiet),
        _("*Nudges:* {nudges}").format(nudges=_received_text(chosen)),
        _("*Paused until:* {day}").format(day=until),
    ]
    text = _("Your settings:") + "\n" + "\n".join(fields)
    hint = _(
        "Scheduled messages wait for your working hours and the end of quiet hours and pauses."
    )
    return Message(
        text=text,
        blocks=[
            Section(text=_("Your settings"), fields=fields),
            Context(texts=[hint, _("Change them with `/rapport settings`.")]),
        ],
    )


def _working_text(chosen: PersonalSettings) -> str:
    if chosen.working_hours is None:
        return ""
    return f"{chosen.working_hours.describe()} {days_text(chosen.work_days)}"


def days_text(days: tuple[int, ...]) -> str:
    """Runs of days as `mon-fri`, others listed: `mon,wed,fri`."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAY_NAMES[run[0]] if len(run) == 1 else f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}"
        for run in runs
    )


def _received_text(chosen: PersonalSettings) -> str:
    received = [name for name, key in NUDGES.items() if chosen.receives(key)]
    if len(received) == len(NUDGES):
        return "all"  # not translated: typed as it is
    return ", ".join(received) or "none"  # not translated: typed as it is
