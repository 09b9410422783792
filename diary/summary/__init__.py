"""The weekly summary: figures, ISO weeks, the chart and the week page."""
