"""Actions: PLOVER triggers, arguments, dates, flags and attribution over the parse."""
