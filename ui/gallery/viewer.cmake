# Owned by the viewer/export dialog work.
