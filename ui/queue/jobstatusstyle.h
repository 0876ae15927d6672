// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

#include "core/store/records.h"

// How a job's or a step's state looks: a word, a colour and an icon (docs ui.md, "States and
// colour"). Colour never carries meaning alone, so every state has all three. Shared by the
// queue and the job detail; GUI thread only (icons are cached).

namespace brieflow::ui {

/** "Pending", "Processing", "Done", "Failed", "Canceled", "Needs attention". */
QString statusWord(JobStatus status);
/** A step's word: "Waiting", "Running", "Done", "Failed", "Canceled", "Needs attention". */
QString stepStatusWord(StepStatus status);
/** The state's colour for the current palette (light or dark). */
QColor statusColour(JobStatus status);
/** ":/icons/state-<name>.svg", or a drawn dot in the state's colour when that resource (or the
 *  SVG plugin) is missing. */
QIcon statusIcon(JobStatus status);
QIcon stepStatusIcon(StepStatus status);
/** A processing job whose running step looks stuck: "Stuck", with the needs-attention colour
 *  and warning icon (the user may want to act), never by colour alone. */
QString stuckWord();
QColor stuckColour();
QIcon stuckIcon();

/** The same state seen from a step. */
JobStatus jobStatusOf(StepStatus status);

/** "4.1 s", "2 min 5 s", "1 h 3 min"; empty for a negative duration. */
QString formatDuration(qint64 msecs);
/** "just now", "3 min ago", "2 h ago", "yesterday", else the short date. */
QString formatRelativeTime(const QDateTime &time, const QDateTime &now);

} // namespace brieflow::ui
