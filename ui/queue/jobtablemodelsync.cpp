// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobTableModel: following changes in the store — rows updated in place by id, the loaded
// window re-read when rows must move, appear or go, and refreshLater()'s coalescing.
#include <algorithm>
#include <utility>

#include <QScopedValueRollback>
#include <QSet>
#include <QTimer>

#include "core/store/jobstore.h"
#include "jobtablemodel.h"

namespace brieflow::ui {

namespace {

bool isQueued(JobStatus status)
{
    return status == JobStatus::Pending || status == JobStatus::Processing;
}

} // namespace

void JobTableModel::refresh(const QList<JobId> &jobs)
{
    if (jobs.isEmpty())
        return;
    const QSet<JobId> moving = applyChanges(jobs, false);
    if (!moving.isEmpty())
        resyncWindow(moving);
    scheduleEstimates();
}

QSet<JobId> JobTableModel::applyChanges(const QList<JobId> &jobs, bool updateMoving)
{
    QSet<JobId> moving;
    const auto records = m_store.jobsWithIds(jobs);
    if (!records) {
        failed(records.error().message);
        return moving;
    }
    QHash<JobId, JobRecord> byId;
    for (const JobRecord &job : records.value())
        byId.insert(job.id, job);

    // The default order only asks whether a job is queued (pending and processing share the
    // queue section); a status filter or the Status sort look at the status itself.
    const bool orderUsesStatus = m_query.status || m_query.sort == JobSort::Status;
    const bool orderUsesQueued = m_query.sort == JobSort::Default;
    const bool orderUsesPosition = m_query.sort == JobSort::Default
                                   || m_query.sort == JobSort::Status
                                   || m_query.sort == JobSort::QueuePosition;
    for (const JobId &id : jobs) {
        const int row = rowOf(id);
        const auto it = byId.constFind(id);
        if (row < 0) {
            // A job we don't show: new, or one that may now match the filter, unless it sorts
            // below the rows loaded so far (a pending job of a long queue starting, say).
            if (it != byId.constEnd() && (!m_query.status || it->status == *m_query.status)
                && (m_query.ids.isEmpty() || m_query.ids.contains(id)) && !sortsBeyondWindow(*it)) {
                moving.insert(id);
                m_recount = true;
            }
            continue;
        }
        if (it == byId.constEnd()) {
            moving.insert(id); // deleted
            m_recount = true;
            continue;
        }
        const JobRecord &old = m_rows.at(row).job;
        if ((orderUsesStatus && old.status != it->status)
            || (orderUsesQueued && isQueued(old.status) != isQueued(it->status))
            || (orderUsesPosition && old.queuePosition != it->queuePosition)) {
            moving.insert(id);
            m_recount = m_recount || (m_query.status && old.status != it->status);
        }
    }

    // Rows that stay where they are (and, with updateMoving, those that must move, until the
    // window is re-read): only these rows are read again.
    QList<JobRecord> changed;
    for (const JobId &id : jobs) {
        const auto it = byId.constFind(id);
        if (rowOf(id) >= 0 && it != byId.constEnd() && (updateMoving || !moving.contains(id)))
            changed << *it;
    }
    QList<Row> rows;
    if (changed.isEmpty() || !readRows(changed, rows))
        return moving;
    m_stats.rowsRead += static_cast<int>(rows.size());
    for (Row &row : rows) {
        const int at = rowOf(row.job.id);
        m_rows[at] = std::move(row);
        Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
    }
    return moving;
}

bool JobTableModel::sortsBeyondWindow(const JobRecord &job) const
{
    if (m_rows.isEmpty() || m_rows.size() >= m_total || !m_query.text.isEmpty())
        return false;
    const JobRecord &last = m_rows.constLast().job;
    // (created_at, id) descending, as the SQL orders history.
    const auto olderThanLast = [&last](const JobRecord &j) {
        return j.createdAt < last.createdAt
               || (j.createdAt == last.createdAt && j.id.toString() < last.id.toString());
    };
    switch (m_query.sort) {
    case JobSort::Default:
        if (m_query.status && !isQueued(*m_query.status))
            return olderThanLast(job);
        if (m_query.status) // queue order: ORDER BY queue_position, id
            return job.queuePosition > last.queuePosition;
        // Queued jobs by queue_position (then created_at DESC, id DESC), then the rest.
        if (isQueued(job.status) != isQueued(last.status))
            return isQueued(last.status);
        if (!isQueued(job.status))
            return olderThanLast(job);
        return job.queuePosition > last.queuePosition
               || (job.queuePosition == last.queuePosition && olderThanLast(job));
    case JobSort::QueuePosition:
        return m_query.descending ? job.queuePosition < last.queuePosition
                                  : job.queuePosition > last.queuePosition;
    case JobSort::Created:
        return m_query.descending ? olderThanLast(job)
                                  : (job.createdAt > last.createdAt
                                     || (job.createdAt == last.createdAt
                                         && job.id.toString() > last.id.toString()));
    case JobSort::Product:
    case JobSort::Status:
        break;
    }
    return false;
}

void JobTableModel::refreshLater(const QList<JobId> &jobs)
{
    for (const JobId &id : jobs) {
        if (!m_pendingSet.contains(id)) {
            m_pendingSet.insert(id);
            m_pending << id;
        }
    }
    // Not restarted while running: a steady stream of changes still lands every interval.
    if (!m_pending.isEmpty() && !m_refreshTimer->isActive())
        m_refreshTimer->start();
}

bool JobTableModel::hasPendingRefresh() const
{
    return !m_pending.isEmpty() || !m_pendingMoves.isEmpty();
}

void JobTableModel::onRefreshTimer()
{
    const QList<JobId> ids = std::exchange(m_pending, {});
    m_pendingSet.clear();
    if (!ids.isEmpty()) {
        m_pendingMoves += applyChanges(ids, true);
        scheduleEstimates(); // a job that moved on changes the others' places too
    }
    if (m_pendingMoves.isEmpty() || m_resyncTimer->isActive())
        return;
    // Moves re-read the loaded window: at most every resyncIntervalMs, however busy.
    const qint64 wait =
        m_sinceResync.isValid() ? resyncIntervalMs - m_sinceResync.elapsed() : qint64(0);
    if (wait <= 0)
        runPendingResync();
    else
        m_resyncTimer->start(static_cast<int>(wait));
}

void JobTableModel::flushPendingRefresh()
{
    m_refreshTimer->stop();
    onRefreshTimer();
    runPendingResync();
}

void JobTableModel::runPendingResync()
{
    m_resyncTimer->stop();
    const QSet<JobId> moves = std::exchange(m_pendingMoves, {});
    if (!moves.isEmpty())
        resyncWindow(moves);
}

void JobTableModel::resync()
{
    resyncWindow({});
}

void JobTableModel::resyncWindow(const QSet<JobId> &changed)
{
    const QScopedValueRollback changing(m_changing, true);
    m_sinceResync.start();
    ++m_stats.windowReads;
    JobQuery window = m_query;
    window.offset = 0;
    window.limit = qMax(static_cast<int>(m_rows.size()), pageSize);
    // A row that only moved leaves the number of matching jobs as it was.
    const bool recount = std::exchange(m_recount, false) || changed.isEmpty();
    const auto total = recount ? m_store.countJobs(m_query) : Result<int, StoreError>(m_total);
    if (!total) {
        m_recount = true;
        failed(total.error().message);
        return;
    }
    const auto fresh = m_store.jobs(window);
    if (!fresh) {
        failed(fresh.error().message);
        return;
    }
    const QList<JobRecord> &jobs = fresh.value();
    QHash<JobId, int> newRow;
    for (int i = 0; i < jobs.size(); ++i)
        newRow.insert(jobs.at(i).id, i);

    // 1. Rows that left the window, in runs from the bottom up.
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0; --i) {
        if (newRow.contains(m_rows.at(i).job.id))
            continue;
        int first = i;
        while (first > 0 && !newRow.contains(m_rows.at(first - 1).job.id))
            --first;
        beginRemoveRows({}, first, i);
        m_rows.remove(first, i - first + 1);
        endRemoveRows();
        i = first;
    }
    rebuildIndex();

    // 2. Rows that stay but moved: a layout change that carries the selection along.
    QList<Row> ordered = m_rows;
    std::stable_sort(ordered.begin(), ordered.end(), [&newRow](const Row &a, const Row &b) {
        return newRow.value(a.job.id) < newRow.value(b.job.id);
    });
    bool moved = false;
    for (int i = 0; i < ordered.size() && !moved; ++i)
        moved = ordered.at(i).job.id != m_rows.at(i).job.id;
    if (moved) {
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        QList<JobId> idsBefore;
        for (const QModelIndex &index : before)
            idsBefore << m_rows.at(index.row()).job.id;
        m_rows = std::move(ordered);
        rebuildIndex();
        QModelIndexList after;
        for (int i = 0; i < before.size(); ++i)
            after << index(rowOf(idsBefore.at(i)), before.at(i).column());
        changePersistentIndexList(before, after);
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }

    // 3. Rows that entered the window, in runs.
    // Rows that stay take the record just read; only the jobs we were told about read their
    // progress and thumbnail again (any other change arrives as a refresh of its own).
    QList<JobRecord> entering;
    QList<JobRecord> staying;
    QList<JobId> touched; // by id: the inserts below move rows
    for (const JobRecord &job : jobs) {
        if (m_index.contains(job.id)) {
            const int at = rowOf(job.id);
            if (changed.contains(job.id)) {
                staying << job;
            } else if (!(m_rows.at(at).job == job)) {
                m_rows[at].job = job;
                touched << job.id;
            }
        } else {
            entering << job;
        }
    }
    QList<Row> newRows;
    if (!readRows(entering, newRows))
        return;
    QHash<JobId, int> newRowAt;
    for (int i = 0; i < newRows.size(); ++i)
        newRowAt.insert(newRows.at(i).job.id, i);
    for (int i = 0; i < jobs.size(); ++i) {
        if (i < m_rows.size() && m_rows.at(i).job.id == jobs.at(i).id)
            continue;
        int end = i;
        while (end < jobs.size() && newRowAt.contains(jobs.at(end).id))
            ++end;
        if (end == i)
            break; // can't happen: the rows left are a subsequence of the window
        beginInsertRows({}, i, end - 1);
        for (int j = i; j < end; ++j)
            m_rows.insert(j, newRows.at(newRowAt.value(jobs.at(j).id)));
        endInsertRows();
        i = end - 1;
    }
    rebuildIndex();

    // 4. Rows that changed in place.
    for (const JobId &id : std::as_const(touched)) {
        const int at = rowOf(id);
        Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
    }
    QList<Row> updated;
    if (!readRows(staying, updated))
        return;
    for (Row &row : updated) {
        const int at = rowOf(row.job.id);
        if (at < 0)
            continue;
        m_rows[at] = std::move(row);
        Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
    }
    setTotal(qMax(*total, static_cast<int>(m_rows.size())));
    scheduleEstimates();
}

} // namespace brieflow::ui
