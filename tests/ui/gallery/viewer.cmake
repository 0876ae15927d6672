# Tests of the viewer and export dialog.
