"""Sizes and colours of the field app: large text and big buttons for older users (dp/sp scale with the screen)."""

from kivy.metrics import dp, sp

FONT = sp(18)          # body text and inputs: never smaller than 18sp
FONT_SMALL = sp(16)    # hints only
FONT_LARGE = sp(21)    # question labels, buttons
FONT_TITLE = sp(24)    # screen titles
BUTTON_H = dp(56)      # every button and toggle row
INPUT_H = dp(52)
PAD = dp(12)
GAP = dp(8)

BG = (0.97, 0.96, 0.93, 1)        # warm white: readable in the sun
TEXT = (0.10, 0.10, 0.10, 1)
MUTED = (0.33, 0.33, 0.33, 1)
PRIMARY = (0.05, 0.40, 0.30, 1)   # deep green
PRIMARY_TEXT = (1, 1, 1, 1)
SECONDARY = (0.86, 0.86, 0.82, 1)
CHOICE_BG = (1, 1, 1, 1)
CHOICE_DOWN = (0.05, 0.40, 0.30, 1)
DANGER = (0.72, 0.08, 0.08, 1)
CARD = (1, 1, 1, 1)
WARN_BG = (1.0, 0.93, 0.80, 1)
