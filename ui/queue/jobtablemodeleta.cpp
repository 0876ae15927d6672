// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobTableModel: the ETAs of queued and running jobs (issue 8) — their places in the queue, the
// running jobs' steps, JobEstimates' medians; computed on reload, at most every etaIntervalMs
// after changes and on updateTimes(), never while painting.
#include <QTimer>

#include "core/monitoring/eta.h"
#include "core/store/jobstore.h"
#include "jobtablemodel.h"
#include "ui/queue/jobestimates.h"

namespace brieflow::ui {

namespace {

bool isQueued(JobStatus status)
{
    return status == JobStatus::Pending || status == JobStatus::Processing;
}

} // namespace

void JobTableModel::setEstimates(JobEstimates *estimates)
{
    if (JobEstimates *old = m_estimates.data())
        disconnect(old, nullptr, this, nullptr);
    m_estimates = estimates;
    if (estimates)
        connect(estimates, &JobEstimates::changed, this, &JobTableModel::updateEstimates);
    updateEstimates();
}

void JobTableModel::scheduleEstimates()
{
    if (m_estimates && !m_etaTimer->isActive())
        m_etaTimer->start();
}

void JobTableModel::updateEstimates()
{
    m_etaTimer->stop();
    JobEstimates *estimates = m_estimates.data();
    QHash<JobId, Eta> etas;
    QList<JobId> active;
    if (estimates) {
        for (const Row &row : std::as_const(m_rows)) {
            if (isQueued(row.job.status))
                active << row.job.id;
        }
    }
    if (!active.isEmpty()) {
        const auto ahead = jobsAhead(active);
        if (!ahead) {
            m_lastError = ahead.error().message; // the ETAs shown stay until the next try
            return;
        }
        for (const Row &row : std::as_const(m_rows)) {
            if (!isQueued(row.job.status))
                continue;
            QList<StepRecord> steps;
            if (row.job.status == JobStatus::Processing) {
                // Only running jobs (a few: the jobs at once) need their steps' start times.
                auto read = m_store.steps(row.job.id);
                if (!read)
                    continue;
                steps = std::move(read).value();
            } else {
                steps = estimates->stepsFromProgress(row.progress);
            }
            const int before = ahead->value(row.job.id, 0);
            etas.insert(row.job.id, {estimates->remainingMs(row.job, steps, before), before});
        }
    }
    int first = -1;
    int last = -1;
    for (int i = 0; i < m_rows.size(); ++i) {
        const JobId &id = m_rows.at(i).job.id;
        const auto now = etas.constFind(id);
        const auto was = m_etas.constFind(id);
        const bool same = (now == etas.cend() && was == m_etas.cend())
                          || (now != etas.cend() && was != m_etas.cend() && *now == *was);
        if (same)
            continue;
        first = first < 0 ? i : first;
        last = i;
    }
    m_etas = std::move(etas);
    if (first >= 0)
        Q_EMIT dataChanged(
            index(first, Status), index(last, Status),
            {EtaTextRole, EtaMsRole, JobsAheadRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
}

Result<QHash<JobId, int>, StoreError> JobTableModel::jobsAhead(const QList<JobId> &active) const
{
    // The default order without a filter loads the queue from its head, in queue order: a
    // job's place is then the loaded rows' own count, with no query (which would walk the queue
    // up to each job: slow for rows far down a long queue).
    if (m_query.sort != JobSort::Default || m_query.status || !m_query.text.isEmpty()
        || !m_query.ids.isEmpty())
        return m_store.jobsAhead(active);
    QHash<JobId, int> ahead;
    int count = 0;
    int samePlace = 0; // jobs sharing a queue position wait for the same ones
    qint64 position = 0;
    for (const Row &row : std::as_const(m_rows)) {
        if (!isQueued(row.job.status))
            continue;
        if (count == 0 || row.job.queuePosition != position) {
            samePlace = count;
            position = row.job.queuePosition;
        }
        ahead.insert(row.job.id, samePlace);
        ++count;
    }
    return ahead;
}

void JobTableModel::setQueuePaused(bool paused)
{
    if (paused == m_queuePaused)
        return;
    m_queuePaused = paused;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Status), index(rowCount() - 1, Status),
                           {EtaTextRole, EtaMsRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
}

QString JobTableModel::etaText(const Row &row) const
{
    if (!isQueued(row.job.status))
        return {};
    if (m_queuePaused)
        return tr("queue paused");
    const auto it = m_etas.constFind(row.job.id);
    if (it == m_etas.cend())
        return {};
    return formatEta(it->ms);
}

} // namespace brieflow::ui
