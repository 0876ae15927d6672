// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include "core/store/records.h"

namespace brieflow::cli {

/**
 * Shows how jobs move through their steps while the engine runs, on standard error.
 * On a terminal (live): one line per job, redrawn in place ("TrailLite 2  concept ✓ ·
 * image_prompt ⠹ · image · store"), or a compact status line when there are too many jobs.
 * Otherwise: one log line per step that ends and per job that settles.
 */
class ProgressDisplay {
public:
    /** live: redraw on a terminal; false: plain log lines. */
    explicit ProgressDisplay(bool live);
    ~ProgressDisplay();
    ProgressDisplay(const ProgressDisplay &) = delete;
    ProgressDisplay &operator=(const ProgressDisplay &) = delete;

    /** True when standard error is a terminal that understands cursor movement. */
    static bool terminalAvailable();

    bool isLive() const { return m_live; }
    /** Whether the plain log says when a job settles (off when the caller prints that). */
    void setLogsSettledJobs(bool logs) { m_logsSettledJobs = logs; }
    /** Records the job's latest state (and logs what changed when not live). */
    void update(const JobRecord &job, const QList<StepRecord> &steps);
    /** The text a streaming step has produced so far. */
    void setStreamingText(const JobId &job, const QString &step, const QString &text);
    /** Stops showing @p job. */
    void remove(const JobId &job);
    /** Redraws the live lines (advances the spinner); no-op when not live. */
    void redraw();
    /** Erases the live lines, e.g. before printing something else or at the end. */
    void clear();

private:
    struct Entry {
        QString product;
        JobStatus status = JobStatus::Pending;
        QList<QPair<QString, StepStatus>> steps;
        QString streamStep;
        QString streamText;
        qint64 order = 0;
    };
    QString lineFor(const Entry &entry, int productWidth, int width) const;
    void write(const QByteArray &bytes);

    bool m_live;
    bool m_logsSettledJobs = true;
    QHash<JobId, Entry> m_entries;
    qint64 m_nextOrder = 0;
    int m_drawnLines = 0;
    int m_frame = 0;
};

} // namespace brieflow::cli
