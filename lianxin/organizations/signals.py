"""What the organizations app tells the apps above it, which it never imports.

Apps depend downwards (core ← accounts ← organizations ← members ← …): when a change to an
organization must carry along records an upper app owns, this app sends a signal and the
upper app's receiver does its part through its own services.
"""

from django.dispatch import Signal

# Sent by `organization_merge`, inside its transaction, once `source` is merged into `target`
# (`source` is closed, its children moved). Keyword arguments: source and target (Organization),
# actor (the account merging, or None for the system), merged_on (date), letter_number (str) and
# reason (str, the text each carried record notes). A receiver moves what hangs on `source`
# (the members app transfers its members); an exception from it undoes the whole merge.
organization_merged = Signal()
