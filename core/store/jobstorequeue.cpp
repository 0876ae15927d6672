// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore: what the queue view needs beyond plain listing: rows for a page of jobs, step
// totals, thumbnails, reordering and bulk deletes.
#include <QJsonArray>
#include <QJsonDocument>

#include "core/store/columns.h"
#include "core/store/connection.h"
#include "core/store/rows.h"
#include "core/store/sqlhelpers.h"
#include "jobstore.h"

namespace brieflow {

using namespace db;

Result<QList<JobRecord>, StoreError> JobStore::jobsWithIds(const QList<JobId> &ids) const
{
    assertOwnerThread();
    if (ids.isEmpty())
        return QList<JobRecord>();
    return selectRows(*m_db,
                      QStringLiteral("SELECT ") + columnList(jobs::columns)
                          + QStringLiteral(" FROM jobs WHERE id") + inIds,
                      {{QStringLiteral(":ids"), idArray(ids)}}, readJob);
}

Result<QHash<JobId, JobProgress>, StoreError> JobStore::jobProgress(const QList<JobId> &ids) const
{
    assertOwnerThread();
    QHash<JobId, JobProgress> progress;
    if (ids.isEmpty())
        return progress;
    const auto rows = selectRows(
        *m_db,
        QStringLiteral("SELECT job_id, count(*), sum(status = 'succeeded'), sum(attempt_count),"
                       " max(attempt_count), min(started_at), max(completed_at)"
                       " FROM job_steps WHERE job_id")
            + inIds + QStringLiteral(" GROUP BY job_id"),
        {{QStringLiteral(":ids"), idArray(ids)}}, [](const QSqlQuery &q) {
            JobProgress p;
            p.steps = q.value(1).toInt();
            p.stepsSucceeded = q.value(2).toInt();
            p.attempts = q.value(3).toInt();
            p.maxAttempts = q.value(4).toInt();
            p.firstStartedAt = timeFrom(q.value(5));
            p.lastCompletedAt = timeFrom(q.value(6));
            return std::pair(JobId(q.value(0).toString()), p);
        });
    if (!rows)
        return fail(rows.error());
    for (const auto &[id, p] : *rows)
        progress.insert(id, p);
    return progress;
}

Result<QHash<JobId, OutputRecord>, StoreError>
JobStore::firstImageOutputs(const QList<JobId> &ids) const
{
    assertOwnerThread();
    QHash<JobId, OutputRecord> first;
    if (ids.isEmpty())
        return first;
    const auto rows = selectRows(*m_db,
                                 QStringLiteral("SELECT ") + columnList(outputs::columns)
                                     + QStringLiteral(" FROM outputs WHERE job_id") + inIds
                                     + QStringLiteral(" AND mime LIKE 'image/%'"
                                                      " ORDER BY job_id, created_at, id"),
                                 {{QStringLiteral(":ids"), idArray(ids)}}, readOutput);
    if (!rows)
        return fail(rows.error());
    for (const OutputRecord &output : *rows) {
        if (!first.contains(output.jobId))
            first.insert(output.jobId, output);
    }
    return first;
}

Result<void, StoreError> JobStore::moveJobsToTop(const QList<JobId> &ids)
{
    assertOwnerThread();
    if (ids.isEmpty())
        return {};
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto moving = selectRows(*m_db,
                                   QStringLiteral("SELECT id FROM jobs WHERE id") + inIds
                                       + QStringLiteral(" ORDER BY queue_position, id"),
                                   {{QStringLiteral(":ids"), idArray(ids)}},
                                   [](const QSqlQuery &q) { return q.value(0).toString(); });
    if (!moving)
        return fail(moving.error());
    const auto top =
        selectValue(*m_db, QStringLiteral("SELECT COALESCE(MIN(queue_position), 1) FROM jobs"), {});
    if (!top)
        return fail(top.error());
    // Positions below the current smallest: nothing else has to move.
    qint64 position = top->toLongLong() - moving->size();
    const QString update =
        QStringLiteral("UPDATE jobs SET queue_position = :position WHERE id = :id");
    for (const QString &id : *moving) {
        const auto changed =
            write(*m_db, update,
                  {{QStringLiteral(":position"), position++}, {QStringLiteral(":id"), id}});
        if (!changed)
            return fail(changed.error());
    }
    return tx->commit();
}

Result<void, StoreError> JobStore::moveJobsBefore(const QList<JobId> &ids, const JobId &before)
{
    assertOwnerThread();
    if (ids.contains(before))
        return fail(
            m_db->error(StoreError::Kind::Constraint,
                        QStringLiteral("can't move job %1 before itself").arg(before.toString())));
    if (ids.isEmpty())
        return {};
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto moving = selectRows(*m_db,
                                   QStringLiteral("SELECT id FROM jobs WHERE id") + inIds
                                       + QStringLiteral(" ORDER BY queue_position, id"),
                                   {{QStringLiteral(":ids"), idArray(ids)}},
                                   [](const QSqlQuery &q) { return q.value(0).toString(); });
    if (!moving)
        return fail(moving.error());
    const qint64 count = moving->size();

    qint64 position = 0;
    if (before.isNull()) {
        const auto end = selectValue(
            *m_db, QStringLiteral("SELECT COALESCE(MAX(queue_position), 0) + 1 FROM jobs"), {});
        if (!end)
            return fail(end.error());
        position = end->toLongLong();
    } else {
        const auto target =
            selectValue(*m_db, QStringLiteral("SELECT queue_position FROM jobs WHERE id = :id"),
                        {{QStringLiteral(":id"), before.toString()}});
        if (!target)
            return fail(target.error());
        if (!target->isValid())
            return fail(m_db->error(StoreError::Kind::NotFound,
                                    QStringLiteral("job ") + before.toString()));
        position = target->toLongLong();
        // Make room: the target and everything after it shift back by the number moved. One
        // statement, however long the queue (queue_position is not unique, so no ordering
        // issue while it runs).
        const auto shifted =
            write(*m_db,
                  QStringLiteral("UPDATE jobs SET queue_position = queue_position + :count"
                                 " WHERE queue_position >= :position"),
                  {{QStringLiteral(":count"), count}, {QStringLiteral(":position"), position}});
        if (!shifted)
            return fail(shifted.error());
    }
    const QString update =
        QStringLiteral("UPDATE jobs SET queue_position = :position WHERE id = :id");
    for (const QString &id : *moving) {
        const auto changed =
            write(*m_db, update,
                  {{QStringLiteral(":position"), position++}, {QStringLiteral(":id"), id}});
        if (!changed)
            return fail(changed.error());
    }
    return tx->commit();
}

Result<int, StoreError> JobStore::deleteJobs(const QList<JobId> &ids)
{
    assertOwnerThread();
    if (ids.isEmpty())
        return 0;
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    // ON DELETE CASCADE removes their steps, calls, outputs and events.
    const auto changed = write(*m_db, QStringLiteral("DELETE FROM jobs WHERE id") + inIds,
                               {{QStringLiteral(":ids"), idArray(ids)}});
    if (!changed)
        return fail(changed.error());
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error());
    return *changed;
}

} // namespace brieflow
