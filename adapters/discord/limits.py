"""What Discord accepts in one message, component and modal: every limit the renderer keeps.

Discord refuses a whole message when one part of it is over a limit, so the renderer fits
everything to these (trims text, wraps buttons into rows, splits rows over several messages)
rather than let a send fail.
"""

CONTENT = 2000
EMBED_DESCRIPTION = 4096
EMBEDS_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
# Components: action rows in one message, buttons in one row (a select fills a row alone).
ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
SELECT_OPTIONS = 25
OPTION = 100
PLACEHOLDER = 150
# Modals: a title, and up to five text inputs.
MODAL_TITLE = 45
MODAL_INPUTS = 5
INPUT_LABEL = 45
INPUT_PLACEHOLDER = 100
INPUT_VALUE = 4000
NONCE = 25
