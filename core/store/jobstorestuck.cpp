// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore: stuck steps. The engine flags a running step whose prediction takes far longer than
// it should; the user keeps waiting (a snooze) or asks for a retry, possibly from another
// process. The flag clears by itself when the step moves on (schema 6's triggers).
#include "core/store/columns.h"
#include "core/store/connection.h"
#include "core/store/rows.h"
#include "core/store/sqlhelpers.h"
#include "jobstore.h"

namespace brieflow {

using namespace db;

namespace {

/** Copies a step's stuck reason and time to its job row (the queue reads the job row). */
const QString mirrorToJob =
    QStringLiteral("UPDATE jobs SET (stuck_reason, stuck_since) ="
                   " (SELECT stuck_reason, stuck_since FROM job_steps WHERE id = :id)"
                   " WHERE id = (SELECT job_id FROM job_steps WHERE id = :id)");

/** Clears the stuck reason of the job rows of @p job that no longer have a flagged step. */
const QString clearJobIfNoneFlagged =
    QStringLiteral("UPDATE jobs SET stuck_reason = NULL, stuck_since = NULL WHERE id = :job_id"
                   " AND NOT EXISTS (SELECT 1 FROM job_steps WHERE job_id = :job_id"
                   " AND stuck_reason IS NOT NULL)");

} // namespace

Result<bool, StoreError> JobStore::setStepStuck(const StepId &step, const QString &reason,
                                                qint64 thresholdMs)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto changed = write(*m_db,
                               QStringLiteral("UPDATE job_steps SET stuck_reason = :reason,"
                                              " stuck_since = coalesce(stuck_since, :now),"
                                              " stuck_threshold_ms = :threshold"
                                              " WHERE id = :id AND status = 'processing'"),
                               {{QStringLiteral(":reason"), requiredText(reason)},
                                {QStringLiteral(":now"), now},
                                {QStringLiteral(":threshold"), qMax<qint64>(0, thresholdMs)},
                                {QStringLiteral(":id"), step.toString()}});
    if (!changed)
        return fail(changed.error());
    if (*changed == 0) {
        tx->rollback();
        return false;
    }
    const auto mirrored = write(*m_db, mirrorToJob, {{QStringLiteral(":id"), step.toString()}});
    if (!mirrored)
        return fail(mirrored.error());
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error());
    return true;
}

Result<void, StoreError> JobStore::clearStepStuck(const StepId &step)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto changed = write(*m_db,
                               QStringLiteral("UPDATE job_steps SET stuck_reason = NULL,"
                                              " stuck_since = NULL WHERE id = :id"
                                              " AND stuck_reason IS NOT NULL"),
                               {{QStringLiteral(":id"), step.toString()}});
    if (!changed)
        return fail(changed.error());
    if (*changed == 0) {
        tx->rollback();
        return {};
    }
    const auto job =
        selectValue(*m_db, QStringLiteral("SELECT job_id FROM job_steps WHERE id = :id"),
                    {{QStringLiteral(":id"), step.toString()}});
    if (!job)
        return fail(job.error());
    const auto cleared =
        write(*m_db, clearJobIfNoneFlagged, {{QStringLiteral(":job_id"), job->toString()}});
    if (!cleared)
        return fail(cleared.error());
    return tx->commit();
}

Result<int, StoreError> JobStore::snoozeStuck(const JobId &job)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto changed =
        write(*m_db,
              QStringLiteral("UPDATE job_steps SET stuck_snoozed_until = :now + coalesce("
                             "stuck_threshold_ms, 0), stuck_reason = NULL, stuck_since = NULL,"
                             " retry_requested_at = NULL"
                             " WHERE job_id = :job_id AND stuck_reason IS NOT NULL"),
              {{QStringLiteral(":now"), QDateTime::currentMSecsSinceEpoch()},
               {QStringLiteral(":job_id"), job.toString()}});
    if (!changed)
        return fail(changed.error());
    if (*changed == 0) {
        tx->rollback();
        return 0;
    }
    const auto cleared =
        write(*m_db, clearJobIfNoneFlagged, {{QStringLiteral(":job_id"), job.toString()}});
    if (!cleared)
        return fail(cleared.error());
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error());
    return *changed;
}

Result<int, StoreError> JobStore::requestStuckRetry(const JobId &job)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto changed = write(*m_db,
                               QStringLiteral("UPDATE job_steps SET retry_requested_at = :now"
                                              " WHERE job_id = :job_id AND stuck_reason IS NOT NULL"
                                              " AND status = 'processing'"),
                               {{QStringLiteral(":now"), QDateTime::currentMSecsSinceEpoch()},
                                {QStringLiteral(":job_id"), job.toString()}});
    if (!changed)
        return fail(changed.error());
    if (*changed == 0) {
        tx->rollback();
        return 0;
    }
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error());
    return *changed;
}

Result<QList<StepRecord>, StoreError> JobStore::stuckRetryRequests() const
{
    assertOwnerThread();
    // The WHERE clause is job_steps_retry_requested's, word for word.
    return selectRows(*m_db,
                      QStringLiteral("SELECT ") + columnList(steps::columns)
                          + QStringLiteral(" FROM job_steps WHERE retry_requested_at IS NOT NULL"
                                           " ORDER BY retry_requested_at"),
                      {}, readStep);
}

Result<void, StoreError> JobStore::clearStuckRetryRequest(const StepId &step)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto changed = write(*m_db,
                               QStringLiteral("UPDATE job_steps SET retry_requested_at = NULL"
                                              " WHERE id = :id AND retry_requested_at IS NOT NULL"),
                               {{QStringLiteral(":id"), step.toString()}});
    if (!changed)
        return fail(changed.error());
    return tx->commit();
}

Result<QList<JobRecord>, StoreError> JobStore::stuckJobs(int limit) const
{
    assertOwnerThread();
    // The WHERE clause is jobs_stuck's, word for word.
    return selectRows(*m_db,
                      QStringLiteral("SELECT ") + columnList(jobs::columns)
                          + QStringLiteral(" FROM jobs WHERE stuck_reason IS NOT NULL"
                                           " ORDER BY stuck_since, id LIMIT :limit"),
                      {{QStringLiteral(":limit"), limit > 0 ? limit : -1}}, readJob);
}

} // namespace brieflow
